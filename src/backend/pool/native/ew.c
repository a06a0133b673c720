// The pool backend's elementwise kernels and max pooling (../wasm/ew.c) compiled natively, on
// the tensors' own memory: each op's loop specialised per opcode so that the compiler turns the
// simple ones (arithmetic, relu and its gradient, max/min) into AVX2 vector code. Same scalar
// definitions as the WASM build, so both give the same floats (exp/sigmoid/tanh included).
#include <string.h>
#include "kernels.h"

#include "wasm-source-begin.h"
#include "../wasm/ew.c"

#define LOOPS(OPC)                                                                  \
  for (long r = 0; r < rows; r++, o += os, a += as, b += bs) {                      \
    if (sa && sb)                                                                   \
      for (long i = 0; i < n; i++) o[i] = scalar_op(OPC, a[i], b[i]);               \
    else if (sa) {                                                                  \
      float bv = b[0];                                                              \
      for (long i = 0; i < n; i++) o[i] = scalar_op(OPC, a[i], bv);                 \
    } else if (sb) {                                                                \
      float av = a[0];                                                              \
      for (long i = 0; i < n; i++) o[i] = scalar_op(OPC, av, b[i]);                 \
    } else {                                                                        \
      float v = scalar_op(OPC, a[0], b[0]);                                         \
      for (long i = 0; i < n; i++) o[i] = v;                                        \
    }                                                                               \
  }                                                                                 \
  break;

void gn_ew(int op, long rows, long n, float *o, long os, const float *a, int sa, long as, const float *b, int sb,
           long bs) {
  switch (op) {
    case ADD: LOOPS(ADD)
    case SUB: LOOPS(SUB)
    case MUL: LOOPS(MUL)
    case DIV: LOOPS(DIV)
    case MAXIMUM: LOOPS(MAXIMUM)
    case MINIMUM: LOOPS(MINIMUM)
    case RELU: LOOPS(RELU)
    case NEG: LOOPS(NEG)
    case EXP:
    case SIGMOID:
    case TANH:
      // The vector exp4/tanh4 of mathf.h, as in the WASM build.
      for (long r = 0; r < rows; r++, o += os, a += as, b += bs) ew_f32(op, (int)n, o, a, sa, b, sb);
      break;
    case RELU_GRAD: LOOPS(RELU_GRAD)
    default: LOOPS(SQUARE)
  }
}

void gn_cmp(int op, long rows, long n, unsigned char *o, long os, const float *a, int sa, long as, const float *b,
            int sb, long bs) {
  for (long r = 0; r < rows; r++, o += os, a += as, b += bs) cmp_f32(op, (int)n, o, a, sa, b, sb);
}

void gn_mask(long rows, long n, float *o, long os, const float *a, int sa, long as, const unsigned char *m, int sm,
             long ms) {
  for (long r = 0; r < rows; r++, o += os, a += as, m += ms) mul_mask_f32((int)n, o, a, sa, m, sm);
}

void gn_maxpool(int P, const float *x, const int *win, float *out, int *idx) {
  maxpool_planes(P, x, win[0], win[1], win[2], win[3], win[4], win[5], win[6], win[7], win[8], win[9], win[10], win[11],
                 out, idx);
}

// out[p, i] (P planes of hw floats, zeroed first) += g[p, k] at i = idx[p, k] (k < per): max
// pooling's backward, plane by plane.
void gn_maxpool_bwd(int P, long hw, long per, const float *g, const int *idx, float *out) {
  for (int p = 0; p < P; p++, g += per, idx += per, out += hw) {
    memset(out, 0, (size_t)hw * sizeof(float));
    for (long k = 0; k < per; k++) out[idx[k]] += g[k];
  }
}

// o[j] = sum over rows r of x[r * rs + j], j < cols, accumulated in double as the pool backend's
// columnSums does: four rows at a time, ((x0 + x1) + (x2 + x3)) added to the running sum, then
// the remaining rows one by one. Each column's order is that of the JS loop, so are the floats.
void gn_colsum(float *o, const float *x, long rows, long cols, long rs) {
  enum { W = 256 };
  double acc[W];
  for (long j0 = 0; j0 < cols; j0 += W) {
    long w = cols - j0 < W ? cols - j0 : W;
    for (long j = 0; j < w; j++) acc[j] = 0;
    const float *p = x + j0;
    long r = 0;
    for (; r + 4 <= rows; r += 4, p += 4 * rs) {
      const float *p1 = p + rs, *p2 = p1 + rs, *p3 = p2 + rs;
      for (long j = 0; j < w; j++) acc[j] += ((double)p[j] + (double)p1[j]) + ((double)p2[j] + (double)p3[j]);
    }
    for (; r < rows; r++, p += rs)
      for (long j = 0; j < w; j++) acc[j] += (double)p[j];
    for (long j = 0; j < w; j++) o[j0 + j] = (float)acc[j];
  }
}

#include "wasm-source-end.h"
