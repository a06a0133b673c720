// The pool backend's fused convolution (../wasm/conv.c: im2col, one GEMM over a few samples,
// bias, both backward products, col2im) compiled natively: the same source, its GEMMs going to
// the AVX2 sgemm, reading inputs and writing outputs in the tensors' own memory, with per-thread
// scratch for the column matrices. Only the sample loop and the scratch sizes live here.
#include <stdlib.h>
#include <string.h>
#include "kernels.h"

#include "wasm-source-begin.h"

// ../wasm/conv.c calls sgemm(); here that is the native one.
void gn_conv_sgemm(int m, int n, int k, const float *A, int rsa, int csa, const float *B, int rsb, int csb, float *C,
                   int ldc, int accumulate);
#define sgemm gn_conv_sgemm
#include "../wasm/conv.c"
#undef sgemm

// Out of memory for packing buffers leaves `failed` set; the part reports it (see gn_conv_*).
static __thread int failed;

void gn_conv_sgemm(int m, int n, int k, const float *A, int rsa, int csa, const float *B, int rsb, int csb, float *C,
                   int ldc, int accumulate) {
  if (gn_sgemm(m, n, k, A, rsa, csa, B, rsb, csb, C, ldc, accumulate, 0) != 0) failed = 1;
}

// Floats of column matrix per call: a few samples, within L2.
#define COLS_BUDGET (1 << 17)

static __thread float *scratch;
static __thread size_t scratchCap;

// Samples per call and the scratch they need (as ../conv-fused.ts's layout, for native memory).
static float *plan(const Geo *g, int samples, int *S, float **yt) {
  int K = g->c * g->kh * g->kw, L = g->oh * g->ow, wide = g->sh == 1 && g->sw == 1;
  int wp = g->w + 2 * g->pw, Lw = wide ? g->oh * wp : L, big = K > g->o ? K : g->o;
  int s = COLS_BUDGET / (big * Lw);
  if (s > samples) s = samples;
  if (s < 1) s = 1;
  size_t padded = wide ? (size_t)s * g->c * (g->h + 2 * g->ph) * wp + (size_t)(g->kw - 1) * g->dw + 4 : 0;
  size_t cols = (size_t)big * s * Lw + padded, need = cols + (size_t)g->o * s * Lw;
  if (scratchCap < need) {
    free(scratch);
    scratch = aligned_alloc(64, (need * sizeof(float) + 63) & ~(size_t)63);
    scratchCap = scratch ? need : 0;
    if (!scratch) return NULL;
  }
  *S = s;
  *yt = scratch + cols;
  return scratch;
}

int gn_conv_fwd(const int *geo, int n, const float *x, const float *wt, const float *bias, float *y) {
  const Geo *g = (const Geo *)geo;
  int S;
  float *yt, *cols = plan(g, n, &S, &yt);
  if (!cols) return -1;
  int chw = g->c * g->h * g->w, out = g->o * g->oh * g->ow;
  failed = 0;
  for (int i = 0; i < n; i += S) {
    int s = n - i < S ? n - i : S;
    conv_fwd(g, s, x + (size_t)i * chw, wt, bias, cols, yt, y + (size_t)i * out);
  }
  return failed ? -1 : 0;
}

int gn_conv_bwd(const int *geo, int n, const float *x, const float *wt, const float *gy, float *gw, float *gb, float *gx) {
  const Geo *g = (const Geo *)geo;
  int S;
  float *gyt, *cols = plan(g, n, &S, &gyt);
  if (!cols) return -1;
  int chw = g->c * g->h * g->w, out = g->o * g->oh * g->ow, K = g->c * g->kh * g->kw;
  if (gw) memset(gw, 0, (size_t)g->o * K * sizeof(float));
  if (gb) memset(gb, 0, (size_t)g->o * sizeof(float));
  failed = 0;
  for (int i = 0; i < n; i += S) {
    int s = n - i < S ? n - i : S;
    conv_bwd(g, s, gw ? x + (size_t)i * chw : 0, wt, gy + (size_t)i * out, gw, gb, gx ? gx + (size_t)i * chw : 0, cols, gyt);
  }
  return failed ? -1 : 0;
}

#include "wasm-source-end.h"
