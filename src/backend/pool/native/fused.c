// The pool backend's fused recurrent cells and Adam (../wasm/fused.c: LSTM and GRU, forward and
// backward; adam_f32) compiled natively, on the tensors' own memory, with the same arithmetic as
// the WASM build: whole 8-float vectors through fused8.c (AVX2), the remaining columns here on
// 4 lanes (SSE) and scalars, as WASM runs them.
#include "kernels.h"

#include "wasm-source-begin.h"
#include "../wasm/fused.c"

// Adam / AdamW: adam_f32 on 8 lanes, then on 4 for the last few elements, in chunks that fit its int count.
void gn_adam(float *p, const float *g, float *m, float *v, long n, float b1, float b2, float stepSize, float bc2Sqrt,
             float eps, float decay, float l2, float sign) {
  for (long i = 0; i < n; i += 1L << 30) {
    int k = n - i < (1L << 30) ? (int)(n - i) : 1 << 30, k8 = k & ~7;
    gn_adam8(p + i, g + i, m + i, v + i, k8, b1, b2, stepSize, bc2Sqrt, eps, decay, l2, sign);
    adam_f32(p + i + k8, g + i + k8, m + i + k8, v + i + k8, k - k8, b1, b2, stepSize, bc2Sqrt, eps, decay, l2, sign);
  }
}

void gn_lstm_fwd(int B, int H, const float *gx, const float *gh, const float *c, float *hc) {
  gn_lstm_fwd8(B, H, H & ~7, gx, gh, c, hc);
  lstm_fwd_cols(B, H, H & ~7, H, gx, gh, c, hc);
}

void gn_lstm_bwd(int B, int H, const float *gx, const float *gh, const float *c, const float *ghc, float *dgates, float *dc) {
  gn_lstm_bwd8(B, H, H & ~7, gx, gh, c, ghc, dgates, dc);
  lstm_bwd_cols(B, H, H & ~7, H, gx, gh, c, ghc, dgates, dc);
}

void gn_lstm_fwd_ws(int B, int H, const float *gx, const float *gh, const float *c, float *hc, float *ws) {
  gn_lstm_fwd_ws8(B, H, H & ~7, gx, gh, c, hc, ws);
  lstm_fwd_ws_cols(B, H, H & ~7, H, gx, gh, c, hc, ws);
}

void gn_lstm_bwd_ws(int B, int H, const float *c, const float *ws, const float *ghc, float *dgates, float *dc) {
  gn_lstm_bwd_ws8(B, H, H & ~7, c, ws, ghc, dgates, dc);
  lstm_bwd_ws_cols(B, H, H & ~7, H, c, ws, ghc, dgates, dc);
}

void gn_gru_fwd(int B, int H, const float *gi, const float *gh, const float *h, float *out) {
  gn_gru_fwd8(B, H, H & ~7, gi, gh, h, out);
  gru_fwd_cols(B, H, H & ~7, H, gi, gh, h, out);
}

void gn_gru_bwd(int B, int H, const float *gi, const float *gh, const float *h, const float *grad, float *dgi, float *dgh,
                float *dh) {
  gn_gru_bwd8(B, H, H & ~7, gi, gh, h, grad, dgi, dgh, dh);
  gru_bwd_cols(B, H, H & ~7, H, gi, gh, h, grad, dgi, dgh, dh);
}

#include "wasm-source-end.h"
