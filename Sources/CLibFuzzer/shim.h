#ifndef UPDRAFT_CLIBFUZZER_SHIM_H
#define UPDRAFT_CLIBFUZZER_SHIM_H
#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver (compiler-rt, linked by -sanitize=fuzzer): parses libFuzzer's flags from
// argv and runs `callback` on every input. Called from updraft-fuzz's own `main`, since SwiftPM
// gives an executable the module's entry point as `main` and libFuzzer's `main` is not linked.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
