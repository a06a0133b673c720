// ../wasm/fused.c once more, on 8 lanes: the wasm_* operations of shim/wasm_simd128.h on AVX2
// (GN_SHIM_AVX2) and LANES 8. Every lane does what a lane of the 4-wide build (fused.c) does, so
// fused.c runs the columns that fill whole 8-float vectors here and the rest itself: the floats
// are those of the WASM build, at twice its width.
#include "kernels.h"

#define GN_SHIM_AVX2 1
#define LANES 8
#define adam_f32 adam_f32_8
#define lstm_fwd lstm_fwd_8
#define lstm_bwd lstm_bwd_8
#define gru_fwd gru_fwd_8
#define gru_bwd gru_bwd_8
#define gradnote_abi gradnote_abi_8

#include "wasm-source-begin.h"
#include "../wasm/fused.c"
#define WIDE(name) name##8
#include "fused-wide.h"
#include "wasm-source-end.h"
