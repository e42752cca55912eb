#ifndef UPDRAFT_CZLIB_SHIM_H
#define UPDRAFT_CZLIB_SHIM_H
#include <zlib.h>

// deflateInit2 is a macro, which Swift cannot call. (Inflating is ISA-L's: CIsal.)
static inline int updraft_deflate_init_raw(z_streamp strm, int level) {
    return deflateInit2(strm, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
}
#endif
