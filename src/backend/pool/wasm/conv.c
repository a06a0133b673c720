// Convolution of one sample as im2col + GEMM inside WASM memory (the columns never reach JS),
// forward and both backward passes, for the pool backend's fused conv2d. Geometry follows
// Window2d in src/backend/backend.ts; x is [c, h, w], weights [o, c*kh*kw], y [o, oh*ow].
void sgemm(int m, int n, int k, const float *A, int rsa, int csa, const float *B, int rsb, int csb,
           float *C, int ldc, int accumulate);

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

static void im2col(const Geo *g, const float *x, float *cols) {
  int L = g->oh * g->ow;
  for (int c = 0; c < g->c; c++)
    for (int i = 0; i < g->kh; i++)
      for (int j = 0; j < g->kw; j++) {
        float *row = cols + ((c * g->kh + i) * g->kw + j) * L;
        int ix0 = -g->pw + j * g->dw, lo, hi;
        valid_cols(ix0, g->sw, g->w, g->ow, &lo, &hi);
        for (int y = 0; y < g->oh; y++) {
          int iy = y * g->sh - g->ph + i * g->dh;
          float *dst = row + y * g->ow;
          if (iy < 0 || iy >= g->h) {
            for (int xx = 0; xx < g->ow; xx++) dst[xx] = 0;
            continue;
          }
          const float *src = x + (c * g->h + iy) * g->w + ix0;
          for (int xx = 0; xx < lo; xx++) dst[xx] = 0;
          if (g->sw == 1)
            for (int xx = lo; xx < hi; xx++) dst[xx] = src[xx];
          else
            for (int xx = lo; xx < hi; xx++) dst[xx] = src[xx * g->sw];
          for (int xx = hi; xx < g->ow; xx++) dst[xx] = 0;
        }
      }
}

static void col2im(const Geo *g, const float *cols, float *x) {
  int L = g->oh * g->ow;
  for (int p = 0; p < g->c * g->h * g->w; p++) x[p] = 0;
  for (int c = 0; c < g->c; c++)
    for (int i = 0; i < g->kh; i++)
      for (int j = 0; j < g->kw; j++) {
        const float *row = cols + ((c * g->kh + i) * g->kw + j) * L;
        int ix0 = -g->pw + j * g->dw, lo, hi;
        valid_cols(ix0, g->sw, g->w, g->ow, &lo, &hi);
        for (int y = 0; y < g->oh; y++) {
          int iy = y * g->sh - g->ph + i * g->dh;
          if (iy < 0 || iy >= g->h) continue;
          float *dst = x + (c * g->h + iy) * g->w + ix0;
          const float *src = row + y * g->ow;
          if (g->sw == 1)
            for (int xx = lo; xx < hi; xx++) dst[xx] += src[xx];
          else
            for (int xx = lo; xx < hi; xx++) dst[xx * g->sw] += src[xx];
        }
      }
}

// y = W @ im2col(x) + bias (bias may be 0).
void conv_fwd(const Geo *g, const float *x, const float *wt, const float *bias, float *cols, float *y) {
  int L = g->oh * g->ow, K = g->c * g->kh * g->kw;
  im2col(g, x, cols);
  sgemm(g->o, L, K, wt, K, 1, cols, L, 1, y, L, 0);
  if (bias)
    for (int o = 0; o < g->o; o++) {
      float b = bias[o];
      float *r = y + o * L;
      for (int l = 0; l < L; l++) r[l] += b;
    }
}

// Backward of one sample: gw += gy @ im2col(x)^T, gb += rowsums(gy), gx = col2im(W^T @ gy).
// Null pointers skip a gradient.
void conv_bwd(const Geo *g, const float *x, const float *wt, const float *gy, float *gw, float *gb, float *gx,
              float *cols) {
  int L = g->oh * g->ow, K = g->c * g->kh * g->kw;
  if (gw) {
    im2col(g, x, cols);
    sgemm(g->o, K, L, gy, L, 1, cols, 1, L, gw, K, 1);
  }
  if (gb)
    for (int o = 0; o < g->o; o++) {
      float s = 0;
      const float *r = gy + o * L;
      for (int l = 0; l < L; l++) s += r[l];
      gb[o] += s;
    }
  if (gx) {
    sgemm(K, L, g->o, wt, 1, K, gy, L, 1, cols, L, 0);
    col2im(g, cols, gx);
  }
}
