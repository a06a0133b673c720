// ../wasm/fused.c on 16 lanes: the wasm_* operations of shim/wasm_simd128.h on AVX-512 F and DQ
// (GN_SHIM_AVX512) and LANES 16, called only where gn_avx512_on() (sgemm.c checked the CPU). As
// with fused8.c, each lane does a WASM lane's arithmetic: the same floats at four times its width.
#include "kernels.h"

#define GN_SHIM_AVX512 1
#define LANES 16
#define adam_f32 adam_f32_16
#define lstm_fwd lstm_fwd_16
#define lstm_bwd lstm_bwd_16
#define gru_fwd gru_fwd_16
#define gru_bwd gru_bwd_16
#define gradnote_abi gradnote_abi_16
#define __wasm_simd128__ 1

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx2,fma")
#endif
#include "../wasm/fused.c"
#define WIDE(name) name##16
#include "fused-wide.h"
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
