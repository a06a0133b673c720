// Convolution of S samples as im2col + one GEMM inside WASM memory (the columns never reach
// JS), forward and both backward passes, for the pool backend's fused conv2d. The S samples'
// columns sit side by side ([K, S·L]), so each product has S·L columns or an inner size of S·L
// instead of L: packing is amortised and short inner loops are avoided. Geometry follows
// Window2d in src/backend/backend.ts; x is [S, c, h, w], weights [o, c*kh*kw], y [S, o, oh*ow].
void sgemm(int m, int n, int k, const float *A, int rsa, int csa, const float *B, int rsb, int csb,
           float *C, int ldc, int accumulate);

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

// Short row copies and fills, written out so that clang neither calls memcpy/memset nor wraps
// a 10–30 element loop in vectorizer prologues and alias checks.
static inline void copy_row(float *dst, const float *src, int n) {
  int i = 0;
#ifdef __wasm_simd128__
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_v128_load(src + i));
#endif
  for (; i < n; i++) dst[i] = src[i];
}

static inline void zero_row(float *dst, int n) {
  int i = 0;
#ifdef __wasm_simd128__
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_f32x4_splat(0));
#endif
  for (; i < n; i++) dst[i] = 0;
}

static inline void add_row(float *dst, const float *src, int n) {
  int i = 0;
#ifdef __wasm_simd128__
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_f32x4_add(wasm_v128_load(dst + i), wasm_v128_load(src + i)));
#endif
  for (; i < n; i++) dst[i] += src[i];
}

typedef struct {
  int c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow;
} Geo;

// Output columns xx whose input column xx*sw + ix0 lies inside [0, w): [*lo, *hi).
static void valid_cols(int ix0, int sw, int w, int ow, int *lo, int *hi) {
  int l = ix0 >= 0 ? 0 : (-ix0 + sw - 1) / sw;
  int h = w - ix0 <= 0 ? 0 : (w - ix0 + sw - 1) / sw;
  if (l > ow) l = ow;
  if (h > ow) h = ow;
  if (h < l) h = l;
  *lo = l;
  *hi = h;
}

// Columns of one sample into cols (rows of length ld, this sample's block at the start).
static void im2col(const Geo *g, const float *x, float *cols, int ld) {
  for (int c = 0; c < g->c; c++)
    for (int i = 0; i < g->kh; i++)
      for (int j = 0; j < g->kw; j++) {
        float *row = cols + ((c * g->kh + i) * g->kw + j) * ld;
        int ix0 = -g->pw + j * g->dw, lo, hi;
        valid_cols(ix0, g->sw, g->w, g->ow, &lo, &hi);
        for (int y = 0; y < g->oh; y++) {
          int iy = y * g->sh - g->ph + i * g->dh;
          float *dst = row + y * g->ow;
          if (iy < 0 || iy >= g->h) {
            zero_row(dst, g->ow);
            continue;
          }
          const float *src = x + (c * g->h + iy) * g->w + ix0;
          zero_row(dst, lo);
          if (g->sw == 1)
            copy_row(dst + lo, src + lo, hi - lo);
          else
            for (int xx = lo; xx < hi; xx++) dst[xx] = src[xx * g->sw];
          zero_row(dst + hi, g->ow - hi);
        }
      }
}

// The adjoint of im2col for one sample (its block of cols at the start, rows of length ld).
static void col2im(const Geo *g, const float *cols, float *x, int ld) {
  zero_row(x, g->c * g->h * g->w);
  for (int c = 0; c < g->c; c++)
    for (int i = 0; i < g->kh; i++)
      for (int j = 0; j < g->kw; j++) {
        const float *row = cols + ((c * g->kh + i) * g->kw + j) * ld;
        int ix0 = -g->pw + j * g->dw, lo, hi;
        valid_cols(ix0, g->sw, g->w, g->ow, &lo, &hi);
        for (int y = 0; y < g->oh; y++) {
          int iy = y * g->sh - g->ph + i * g->dh;
          if (iy < 0 || iy >= g->h) continue;
          float *dst = x + (c * g->h + iy) * g->w + ix0;
          const float *src = row + y * g->ow;
          if (g->sw == 1)
            add_row(dst + lo, src + lo, hi - lo);
          else
            for (int xx = lo; xx < hi; xx++) dst[xx * g->sw] += src[xx];
        }
      }
}

// y [S, o, L] = W @ im2col(x) + bias (bias may be 0); yt is scratch [o, S·L].
void conv_fwd(const Geo *g, int S, const float *x, const float *wt, const float *bias, float *cols, float *yt, float *y) {
  int L = g->oh * g->ow, K = g->c * g->kh * g->kw, chw = g->c * g->h * g->w, ld = S * L;
  for (int s = 0; s < S; s++) im2col(g, x + s * chw, cols + s * L, ld);
  sgemm(g->o, ld, K, wt, K, 1, cols, ld, 1, yt, ld, 0);
  for (int s = 0; s < S; s++)
    for (int o = 0; o < g->o; o++) {
      const float *src = yt + o * ld + s * L;
      float *dst = y + (s * g->o + o) * L;
      float b = bias ? bias[o] : 0;
      for (int l = 0; l < L; l++) dst[l] = src[l] + b;
    }
}

// Backward over S samples: gw += gy @ im2col(x)^T, gb += row sums of gy, gx = col2im(W^T @ gy).
// gy is [S, o, L]; gyt is scratch [o, S·L]; null pointers skip a gradient.
void conv_bwd(const Geo *g, int S, const float *x, const float *wt, const float *gy, float *gw, float *gb, float *gx,
              float *cols, float *gyt) {
  int L = g->oh * g->ow, K = g->c * g->kh * g->kw, chw = g->c * g->h * g->w, ld = S * L;
  for (int s = 0; s < S; s++)
    for (int o = 0; o < g->o; o++) {
      const float *src = gy + (s * g->o + o) * L;
      copy_row(gyt + o * ld + s * L, src, L);
      if (gb) {
        float acc = 0;
        for (int l = 0; l < L; l++) acc += src[l];
        gb[o] += acc;
      }
    }
  if (gw) {
    for (int s = 0; s < S; s++) im2col(g, x + s * chw, cols + s * L, ld);
    sgemm(g->o, K, ld, gyt, ld, 1, cols, 1, ld, gw, K, 1);
  }
  if (gx) {
    sgemm(K, ld, g->o, wt, 1, K, gyt, ld, 1, cols, ld, 0);
    for (int s = 0; s < S; s++) col2im(g, cols + s * L, gx + s * chw, ld);
  }
}
