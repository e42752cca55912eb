#ifndef UPDRAFT_CZLIB_SHIM_H
#define UPDRAFT_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2 / deflateInit2 are macros, which Swift cannot call.
static inline int updraft_inflate_init_raw(z_streamp strm) {
    return inflateInit2(strm, -MAX_WBITS);
}
static inline int updraft_deflate_init_raw(z_streamp strm, int level) {
    return deflateInit2(strm, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
}
#endif
