// The pool backend's fused recurrent cells (../wasm/fused.c: LSTM and GRU, forward and backward)
// compiled natively, on the tensors' own memory, with the same scalar arithmetic as the WASM build.
#include <stdlib.h>
#include "kernels.h"

// Runs only where gn_cpu_ok() said AVX2 and FMA3 are there (binding.c checks before any call).
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC target("avx2,fma")
#endif
// The WASM sources' SIMD paths, on SSE through shim/wasm_simd128.h (same lane arithmetic).
#define __wasm_simd128__ 1
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

void gn_gru_fwd(int B, int H, const float *gi, const float *gh, const float *h, float *out) { gru_fwd(B, H, gi, gh, h, out); }

void gn_gru_bwd(int B, int H, const float *gi, const float *gh, const float *h, const float *grad, float *dgi, float *dgh,
                float *dh) {
  gru_bwd(B, H, gi, gh, h, grad, dgi, dgh, dh);
}

#if defined(__clang__)
#pragma clang attribute pop
#endif
