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

// Stride-1 convolutions use a "wide" column matrix: every output row is computed across the
// whole zero-padded input width wp (positions ow..wp-1 are computed and dropped), so that each
// row of the column matrix is one contiguous slice of the padded input — one copy per
// (channel, kernel row, kernel column) instead of one short copy per output row. The product
// grows by wp/ow (1.14x for LeNet's first layer, 1.4x for its second); the copies shrink ~oh-fold.
// In the backward pass the dropped positions carry zero gradient, so they add exactly nothing.
static inline int is_wide(const Geo *g) { return g->sh == 1 && g->sw == 1; }

// x [S, c, h, w] → xp [S, c, hp, wp] with zero borders, and zero slack after it: a slice of the
// last row may run (kw-1)·dw floats past the end (conv-fused.ts's layout leaves room for it).
static void pad_input(const Geo *g, int S, const float *x, float *xp) {
  int hp = g->h + 2 * g->ph, wp = g->w + 2 * g->pw;
  for (int p = 0; p < S * g->c; p++) {
    const float *src = x + p * g->h * g->w;
    float *dst = xp + p * hp * wp;
    zero_row(dst, g->ph * wp);
    for (int y = 0; y < g->h; y++) {
      float *row = dst + (g->ph + y) * wp;
      zero_row(row, g->pw);
      copy_row(row + g->pw, src + y * g->w, g->w);
      zero_row(row + g->pw + g->w, g->pw);
    }
    zero_row(dst + (g->ph + g->h) * wp, g->ph * wp);
  }
  zero_row(xp + S * g->c * hp * wp, (g->kw - 1) * g->dw + 4);
}

// Wide columns of one padded sample: row (c, i, j) is xp[c, i·dh + y, j·dw + x] for y < oh,
// x < wp, i.e. oh·wp consecutive floats.
static void im2col_wide(const Geo *g, const float *xp, float *cols, int ld) {
  int hp = g->h + 2 * g->ph, wp = g->w + 2 * g->pw, n = g->oh * wp;
  for (int c = 0; c < g->c; c++)
    for (int i = 0; i < g->kh; i++)
      for (int j = 0; j < g->kw; j++)
        copy_row(cols + ((c * g->kh + i) * g->kw + j) * ld, xp + (c * hp + i * g->dh) * wp + j * g->dw, n);
}

// Adjoint of im2col_wide into the padded gradient gxp (zeroed here), then cropped into gx.
static void col2im_wide(const Geo *g, const float *cols, float *gxp, float *gx, int ld) {
  int hp = g->h + 2 * g->ph, wp = g->w + 2 * g->pw, n = g->oh * wp;
  zero_row(gxp, g->c * hp * wp + (g->kw - 1) * g->dw + 4);
  for (int c = 0; c < g->c; c++)
    for (int i = 0; i < g->kh; i++)
      for (int j = 0; j < g->kw; j++)
        add_row(gxp + (c * hp + i * g->dh) * wp + j * g->dw, cols + ((c * g->kh + i) * g->kw + j) * ld, n);
  for (int c = 0; c < g->c; c++)
    for (int y = 0; y < g->h; y++) copy_row(gx + (c * g->h + y) * g->w, gxp + (c * hp + g->ph + y) * wp + g->pw, g->w);
}

// y [S, o, L] = W @ im2col(x) + bias (bias may be 0); yt is scratch [o, S·L].
void conv_fwd(const Geo *g, int S, const float *x, const float *wt, const float *bias, float *cols, float *yt, float *y) {
  int wide = is_wide(g), wp = g->w + 2 * g->pw;
  int L = g->oh * g->ow, Lw = wide ? g->oh * wp : L, K = g->c * g->kh * g->kw, chw = g->c * g->h * g->w, ld = S * Lw;
  if (wide) {
    float *xp = cols + (K > g->o ? K : g->o) * ld;
    int plane = g->c * (g->h + 2 * g->ph) * wp;
    pad_input(g, S, x, xp);
    for (int s = 0; s < S; s++) im2col_wide(g, xp + s * plane, cols + s * Lw, ld);
  } else {
    for (int s = 0; s < S; s++) im2col(g, x + s * chw, cols + s * L, ld);
  }
  sgemm(g->o, ld, K, wt, K, 1, cols, ld, 1, yt, ld, 0);
  for (int s = 0; s < S; s++)
    for (int o = 0; o < g->o; o++) {
      float b = bias ? bias[o] : 0;
      float *dst = y + (s * g->o + o) * L;
      for (int r = 0; r < g->oh; r++) {
        const float *src = yt + o * ld + s * Lw + r * (wide ? wp : g->ow);
        for (int l = 0; l < g->ow; l++) dst[r * g->ow + l] = src[l] + b;
      }
    }
}

// Backward over S samples: gw += gy @ im2col(x)^T, gb += row sums of gy, gx = col2im(W^T @ gy).
// gy is [S, o, L]; gyt is scratch [o, S·L]; null pointers skip a gradient.
void conv_bwd(const Geo *g, int S, const float *x, const float *wt, const float *gy, float *gw, float *gb, float *gx,
              float *cols, float *gyt) {
  int wide = is_wide(g), wp = g->w + 2 * g->pw, rw = wide ? wp : g->ow;
  int L = g->oh * g->ow, Lw = wide ? g->oh * wp : L, K = g->c * g->kh * g->kw, chw = g->c * g->h * g->w, ld = S * Lw;
  float *xp = cols + (K > g->o ? K : g->o) * ld;
  int plane = g->c * (g->h + 2 * g->ph) * wp;
  for (int s = 0; s < S; s++)
    for (int o = 0; o < g->o; o++) {
      const float *src = gy + (s * g->o + o) * L;
      float *dst = gyt + o * ld + s * Lw;
      for (int r = 0; r < g->oh; r++) {
        copy_row(dst + r * rw, src + r * g->ow, g->ow);
        if (wide) zero_row(dst + r * rw + g->ow, wp - g->ow);
      }
      if (gb) {
        // Eight interleaved partial sums: one serial chain of adds would wait out each add's latency.
        float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        int l = 0;
        for (; l + 8 <= L; l += 8)
          for (int q = 0; q < 8; q++) acc[q] += src[l + q];
        for (; l < L; l++) acc[0] += src[l];
        gb[o] += ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
      }
    }
  if (gw) {
    if (wide) {
      pad_input(g, S, x, xp);
      for (int s = 0; s < S; s++) im2col_wide(g, xp + s * plane, cols + s * Lw, ld);
    } else {
      for (int s = 0; s < S; s++) im2col(g, x + s * chw, cols + s * L, ld);
    }
    sgemm(g->o, K, ld, gyt, ld, 1, cols, 1, ld, gw, K, 1);
  }
  if (gx) {
    sgemm(K, ld, g->o, wt, 1, K, gyt, ld, 1, cols, ld, 0);
    for (int s = 0; s < S; s++) {
      if (wide) col2im_wide(g, cols + s * Lw, xp, gx + s * chw, ld);
      else col2im(g, cols + s * L, gx + s * chw, ld);
    }
  }
}
