// Elementwise float32 kernels of the pool backend over one contiguous segment: arithmetic,
// relu, comparisons into bool bytes, and products with a bool mask (relu's backward).
// `sa`/`sb` are 1 for a dense operand and 0 for a broadcast scalar. Opcodes match src/backend/pool/ew.ts.
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#include "mathf.h"

enum { ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, RELU, NEG, SQUARE, EXP, SIGMOID, TANH, RELU_GRAD };

static inline int x_nan(float a) { return a != a; }

static inline float scalar_op(int op, float a, float b) {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case DIV: return a / b;
    case MAXIMUM: return (a > b || a != a) ? a : b;
    case MINIMUM: return (a < b || a != a) ? a : b;
    case RELU: return (a > 0 || a != a) ? a : 0;
    case NEG: return -a;
    case EXP: return expf1(a);
    case SIGMOID: return 1.0f / (1.0f + expf1(-a));
    case TANH: return x_nan(a) ? a : tanhf1(a);
    // PyTorch's threshold_backward: 0 where x <= 0 (even for a NaN gradient), g elsewhere (x NaN too).
    case RELU_GRAD: return (b > 0 || b != b) ? a : 0.0f;
    default: return a * a;
  }
}

#ifdef __wasm_simd128__
static inline v128_t simd_op(int op, v128_t a, v128_t b) {
  switch (op) {
    case ADD: return wasm_f32x4_add(a, b);
    case SUB: return wasm_f32x4_sub(a, b);
    case MUL: return wasm_f32x4_mul(a, b);
    case DIV: return wasm_f32x4_div(a, b);
    // NaN-propagating like the reference (f32x4.max/min propagate NaN).
    case MAXIMUM: return wasm_f32x4_max(a, b);
    case MINIMUM: return wasm_f32x4_min(a, b);
    case RELU: {
      // a where a > 0 or a is NaN, else +0.
      v128_t keep = wasm_v128_or(wasm_f32x4_gt(a, wasm_f32x4_splat(0)), wasm_f32x4_ne(a, a));
      return wasm_v128_and(a, keep);
    }
    case NEG: return wasm_f32x4_neg(a);
    case EXP: return exp4(a);
    case SIGMOID: return wasm_f32x4_div(wasm_f32x4_splat(1.0f), wasm_f32x4_add(wasm_f32x4_splat(1.0f), exp4(wasm_f32x4_neg(a))));
    case TANH: return tanh4(a);
    case RELU_GRAD: return wasm_v128_and(a, wasm_v128_or(wasm_f32x4_gt(b, wasm_f32x4_splat(0)), wasm_f32x4_ne(b, b)));
    default: return wasm_f32x4_mul(a, a);
  }
}
#endif

#define EW_LOOP(OP)                                                                     \
  do {                                                                                  \
    int i = 0;                                                                          \
    if (sa && sb) {                                                                     \
      for (; i + 4 <= n; i += 4)                                                        \
        wasm_v128_store(o + i, simd_op(OP, wasm_v128_load(a + i), wasm_v128_load(b + i))); \
    } else if (sa) {                                                                    \
      v128_t vb = wasm_f32x4_splat(b[0]);                                               \
      for (; i + 4 <= n; i += 4) wasm_v128_store(o + i, simd_op(OP, wasm_v128_load(a + i), vb)); \
    } else if (sb) {                                                                    \
      v128_t va = wasm_f32x4_splat(a[0]);                                               \
      for (; i + 4 <= n; i += 4) wasm_v128_store(o + i, simd_op(OP, va, wasm_v128_load(b + i))); \
    }                                                                                   \
    for (; i < n; i++) o[i] = scalar_op(OP, a[i * sa], b[i * sb]);                      \
  } while (0)

void ew_f32(int op, int n, float *o, const float *a, int sa, const float *b, int sb) {
#ifdef __wasm_simd128__
  // One loop per opcode so the switch folds away inside the vector loop.
  switch (op) {
    case ADD: EW_LOOP(ADD); return;
    case SUB: EW_LOOP(SUB); return;
    case MUL: EW_LOOP(MUL); return;
    case DIV: EW_LOOP(DIV); return;
    case MAXIMUM: EW_LOOP(MAXIMUM); return;
    case MINIMUM: EW_LOOP(MINIMUM); return;
    case RELU: EW_LOOP(RELU); return;
    case NEG: EW_LOOP(NEG); return;
    case EXP: EW_LOOP(EXP); return;
    case SIGMOID: EW_LOOP(SIGMOID); return;
    case TANH: EW_LOOP(TANH); return;
    case RELU_GRAD: EW_LOOP(RELU_GRAD); return;
    default: EW_LOOP(SQUARE); return;
  }
#else
  for (int i = 0; i < n; i++) o[i] = scalar_op(op, a[i * sa], b[i * sb]);
#endif
}

static inline int cmp1(int op, float a, float b) {
  switch (op) {
    case GT: return a > b;
    case GE: return a >= b;
    case LT: return a < b;
    case LE: return a <= b;
    case EQ: return a == b;
    default: return a != b;
  }
}

void cmp_f32(int op, int n, unsigned char *o, const float *a, int sa, const float *b, int sb) {
  for (int i = 0; i < n; i++) o[i] = (unsigned char)cmp1(op, a[i * sa], b[i * sb]);
}

// o = a * m with m a 0/1 byte mask (`sm` as for sa/sb).
void mul_mask_f32(int n, float *o, const float *a, int sa, const unsigned char *m, int sm) {
  for (int i = 0; i < n; i++) o[i] = m[i * sm] ? a[i * sa] : a[i * sa] * 0.0f;
}

// Max pooling of one [h, w] plane; indices are flat positions in the plane (first max wins,
// NaN wins and stops the window, as in the reference kernel).
static void maxpool_plane(const float *x, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
                          int oh, int ow, float *out, int *idx) {
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1 && 2 * oh <= h && 2 * ow <= w) {
    // The common 2x2/2 window with selects only; windows holding a NaN take the general path.
    int nan = 0;
    for (int y = 0; y < oh; y++) {
      const float *r0 = x + 2 * y * w, *r1 = r0 + w;
      for (int xx = 0; xx < ow; xx++) {
        float a = r0[2 * xx], b = r0[2 * xx + 1], c = r1[2 * xx], d = r1[2 * xx + 1];
        float best = a;
        int at = 2 * y * w + 2 * xx;
        int t = b > best; best = t ? b : best; at = t ? at + 1 : at;
        t = c > best; best = t ? c : best; at = t ? (2 * y + 1) * w + 2 * xx : at;
        t = d > best; best = t ? d : best; at = t ? (2 * y + 1) * w + 2 * xx + 1 : at;
        out[y * ow + xx] = best;
        idx[y * ow + xx] = at;
        nan |= (a != a) | (b != b) | (c != c) | (d != d);
      }
    }
    if (!nan) return;
  }
  for (int y = 0; y < oh; y++)
    for (int xx = 0; xx < ow; xx++) {
      float best = -__builtin_inff();
      int at = -1;
      for (int i = 0; i < kh; i++) {
        int iy = y * sh - ph + i * dh;
        if (iy < 0 || iy >= h) continue;
        for (int j = 0; j < kw; j++) {
          int ix = xx * sw - pw + j * dw;
          if (ix < 0 || ix >= w) continue;
          float v = x[iy * w + ix];
          int take = (v > best) | (at < 0);
          if (v != v) { best = v; at = iy * w + ix; break; }
          best = take ? v : best;
          at = take ? iy * w + ix : at;
        }
      }
      out[y * ow + xx] = best;
      idx[y * ow + xx] = at;
    }
}

// Max pooling of P consecutive planes (one call per chunk of planes, not per plane).
void maxpool_planes(int P, const float *x, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
                    int oh, int ow, float *out, int *idx) {
  for (int p = 0; p < P; p++)
    maxpool_plane(x + p * h * w, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, out + p * oh * ow, idx + p * oh * ow);
}
