// The pool backend's fused recurrent cells and Adam (../wasm/fused.c: LSTM and GRU, forward and
// backward; adam_f32) compiled natively, on the tensors' own memory, with the same arithmetic as
// the WASM build: whole 16-float vectors through fused16.c (AVX-512, where sgemm.c turned it
// on), then whole 8-float ones through fused8.c (AVX2), the remaining columns here on 4 lanes
// (SSE) and scalars, as WASM runs them.
#include "kernels.h"

#include "wasm-source-begin.h"
#include "../wasm/fused.c"

// Where the 16-lane columns end (0 without AVX-512), and the 8-lane ones.
#define SPANS(n) int j16 = gn_avx512_on() ? (n) & ~15 : 0, j8 = (n) & ~7

// Adam / AdamW: adam_f32 on 16, 8 and then 4 lanes, in chunks that fit its int count.
void gn_adam(float *p, const float *g, float *m, float *v, long n, float b1, float b2, float stepSize, float bc2Sqrt,
             float eps, float decay, float l2, float sign) {
  for (long i = 0; i < n; i += 1L << 30) {
    int k = n - i < (1L << 30) ? (int)(n - i) : 1 << 30;
    float *pi = p + i, *mi = m + i, *vi = v + i;
    const float *gi = g + i;
    SPANS(k);
    if (j16) gn_adam16(pi, gi, mi, vi, j16, b1, b2, stepSize, bc2Sqrt, eps, decay, l2, sign);
    gn_adam8(pi + j16, gi + j16, mi + j16, vi + j16, j8 - j16, b1, b2, stepSize, bc2Sqrt, eps, decay, l2, sign);
    adam_f32(pi + j8, gi + j8, mi + j8, vi + j8, k - j8, b1, b2, stepSize, bc2Sqrt, eps, decay, l2, sign);
  }
}

// Runs a cell kernel over the columns of each row: 16 lanes, 8 lanes, then this file's own.
#define CELL(name, ...)                                   \
  do {                                                    \
    SPANS(H);                                             \
    if (j16) gn_##name##16(B, H, 0, j16, __VA_ARGS__);     \
    gn_##name##8(B, H, j16, j8, __VA_ARGS__);              \
    name##_cols(B, H, j8, H, __VA_ARGS__);                 \
  } while (0)

void gn_lstm_fwd(int B, int H, const float *gx, const float *gh, const float *c, float *hc) {
  CELL(lstm_fwd, gx, gh, c, hc, (float *)0);
}

void gn_lstm_bwd(int B, int H, const float *gx, const float *gh, const float *c, const float *ghc, float *dgates, float *dc) {
  CELL(lstm_bwd, gx, gh, c, (const float *)0, ghc, dgates, dc);
}

void gn_lstm_fwd_ws(int B, int H, const float *gx, const float *gh, const float *c, float *hc, float *ws) {
  CELL(lstm_fwd, gx, gh, c, hc, ws);
}

// The backward from kept activations reads neither gates nor their sum: gx and gh are unused.
void gn_lstm_bwd_ws(int B, int H, const float *c, const float *ws, const float *ghc, float *dgates, float *dc) {
  CELL(lstm_bwd, (const float *)0, (const float *)0, c, ws, ghc, dgates, dc);
}

void gn_gru_fwd(int B, int H, const float *gi, const float *gh, const float *h, float *out) {
  CELL(gru_fwd, gi, gh, h, out);
}

void gn_gru_bwd(int B, int H, const float *gi, const float *gh, const float *h, const float *grad, float *dgi, float *dgh,
                float *dh) {
  CELL(gru_bwd, gi, gh, h, grad, dgi, dgh, dh);
}

#include "wasm-source-end.h"
