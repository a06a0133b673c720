// The pool backend's fused recurrent cells and Adam (../wasm/fused.c: LSTM and GRU, forward and
// backward; adam_f32) compiled natively, on the tensors' own memory, with the same arithmetic as
// the WASM build.
#include <stdlib.h>
#include "kernels.h"

#include "wasm-source-begin.h"
#include "../wasm/fused.c"

static __thread float *row;
static __thread int rowCap;

// lstm_fwd / lstm_bwd's scratch row of 4H floats, per thread.
static float *scratchRow(int H) {
  if (rowCap < 4 * H) {
    free(row);
    row = malloc((size_t)4 * H * sizeof(float));
    rowCap = row ? 4 * H : 0;
  }
  return row;
}

int gn_lstm_fwd(int B, int H, const float *gx, const float *gh, const float *c, float *hc) {
  float *r = scratchRow(H);
  if (!r) return -1;
  lstm_fwd(B, H, gx, gh, c, hc, r);
  return 0;
}

int gn_lstm_bwd(int B, int H, const float *gx, const float *gh, const float *c, const float *ghc, float *dgates, float *dc) {
  float *r = scratchRow(H);
  if (!r) return -1;
  lstm_bwd(B, H, gx, gh, c, ghc, dgates, dc, r);
  return 0;
}

// Adam / AdamW: ../wasm/fused.c's adam_f32 (its SIMD path), in chunks that fit its int count.
void gn_adam(float *p, const float *g, float *m, float *v, long n, float b1, float b2, float stepSize, float bc2Sqrt,
             float eps, float decay, float l2, float sign) {
  for (long i = 0; i < n; i += 1L << 30) {
    int k = n - i < (1L << 30) ? (int)(n - i) : 1 << 30;
    adam_f32(p + i, g + i, m + i, v + i, k, b1, b2, stepSize, bc2Sqrt, eps, decay, l2, sign);
  }
}

void gn_gru_fwd(int B, int H, const float *gi, const float *gh, const float *h, float *out) { gru_fwd(B, H, gi, gh, h, out); }

void gn_gru_bwd(int B, int H, const float *gi, const float *gh, const float *h, const float *grad, float *dgi, float *dgh,
                float *dh) {
  gru_bwd(B, H, gi, gh, h, grad, dgi, dgh, dh);
}

#include "wasm-source-end.h"
