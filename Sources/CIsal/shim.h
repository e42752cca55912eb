#ifndef UPDRAFT_CISAL_SHIM_H
#define UPDRAFT_CISAL_SHIM_H
// Intel's ISA-L (Debian's libisal-dev): a streaming inflate and a CRC-32 that use the CPU's vector
// and carry-less multiply instructions, for the archives' deflate members.
#include <isa-l/igzip_lib.h>
#include <isa-l/crc.h>
#endif
