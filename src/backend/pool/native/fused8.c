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

void gn_adam8(float *p, const float *g, float *m, float *v, int n, float b1, float b2, float stepSize, float bc2Sqrt,
              float eps, float decay, float l2, float sign) {
  adam_f32(p, g, m, v, n, b1, b2, stepSize, bc2Sqrt, eps, decay, l2, sign);
}

void gn_lstm_fwd8(int B, int H, int j1, const float *gx, const float *gh, const float *c, float *hc) {
  lstm_fwd_cols(B, H, 0, j1, gx, gh, c, hc);
}

void gn_lstm_bwd8(int B, int H, int j1, const float *gx, const float *gh, const float *c, const float *ghc, float *dgates,
                  float *dc) {
  lstm_bwd_cols(B, H, 0, j1, gx, gh, c, ghc, dgates, dc);
}

void gn_lstm_fwd_ws8(int B, int H, int j1, const float *gx, const float *gh, const float *c, float *hc, float *ws) {
  lstm_fwd_ws_cols(B, H, 0, j1, gx, gh, c, hc, ws);
}

void gn_lstm_bwd_ws8(int B, int H, int j1, const float *c, const float *ws, const float *ghc, float *dgates, float *dc) {
  lstm_bwd_ws_cols(B, H, 0, j1, c, ws, ghc, dgates, dc);
}

void gn_gru_fwd8(int B, int H, int j1, const float *gi, const float *gh, const float *h, float *out) {
  gru_fwd_cols(B, H, 0, j1, gi, gh, h, out);
}

void gn_gru_bwd8(int B, int H, int j1, const float *gi, const float *gh, const float *h, const float *grad, float *dgi,
                 float *dgh, float *dh) {
  gru_bwd_cols(B, H, 0, j1, gi, gh, h, grad, dgi, dgh, dh);
}

#include "wasm-source-end.h"
