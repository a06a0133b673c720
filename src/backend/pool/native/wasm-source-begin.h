// Included by conv.c, ew.c and fused.c before they include a WASM kernel source: everything up to
// wasm-source-end.h is compiled for AVX2 and FMA3 (those files run only where gn_cpu_ok() said
// so: binding.c checks before any call), and the WASM source's SIMD paths are taken, on SSE
// through shim/wasm_simd128.h (the same lane arithmetic, hence the same floats as WASM).
// Not include-guarded: each file opens (and closes) the region once.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif
#define __wasm_simd128__ 1
