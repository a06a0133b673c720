// Fused elementwise kernels of the pool backend (optimizer updates), compiled with gemm.c.
// Each runs over arrays the caller has copied into this module's memory, chunk by chunk.
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif
// Floats per vector in the SIMD loops: 4 (WebAssembly). The native build compiles this file a
// second time with 8 (../native/fused8.c, AVX2 through the same wasm_* names): each lane then
// does the same arithmetic, so the floats do not change with the width.
#ifndef LANES
#define LANES 4
#endif

// Adam / AdamW step over n elements, in place on p, m, v (see src/optim/adam.ts for the rule).
void adam_f32(float *p, const float *g, float *m, float *v, int n, float b1, float b2, float stepSize,
              float bc2Sqrt, float eps, float decay, float l2, float sign) {
  int i = 0;
#ifdef __wasm_simd128__
  v128_t vb1 = wasm_f32x4_splat(b1), vb2 = wasm_f32x4_splat(b2), c1 = wasm_f32x4_splat(1 - b1),
         c2 = wasm_f32x4_splat(1 - b2), vs = wasm_f32x4_splat(stepSize), vbc = wasm_f32x4_splat(bc2Sqrt),
         ve = wasm_f32x4_splat(eps), vd = wasm_f32x4_splat(decay), vl2 = wasm_f32x4_splat(l2),
         vsg = wasm_f32x4_splat(sign);
  for (; i + LANES <= n; i += LANES) {
    v128_t pi = wasm_f32x4_mul(wasm_v128_load(p + i), vd);
    v128_t gi = wasm_f32x4_add(wasm_f32x4_mul(vsg, wasm_v128_load(g + i)), wasm_f32x4_mul(vl2, pi));
    v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(vb1, wasm_v128_load(m + i)), wasm_f32x4_mul(c1, gi));
    v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(vb2, wasm_v128_load(v + i)), wasm_f32x4_mul(c2, wasm_f32x4_mul(gi, gi)));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(v + i, vi);
    v128_t den = wasm_f32x4_add(wasm_f32x4_div(wasm_f32x4_sqrt(vi), vbc), ve);
    wasm_v128_store(p + i, wasm_f32x4_sub(pi, wasm_f32x4_div(wasm_f32x4_mul(vs, mi), den)));
  }
#endif
  for (; i < n; i++) {
    float pi = p[i] * decay;
    float gi = sign * g[i] + l2 * pi;
    float mi = m[i] = b1 * m[i] + (1 - b1) * gi;
    float vi = v[i] = b2 * v[i] + (1 - b2) * gi * gi;
    p[i] = pi - stepSize * mi / (__builtin_sqrtf(vi) / bc2Sqrt + eps);
  }
}

#include "mathf.h"

static inline float sigmoid1(float x) { return 1.0f / (1.0f + expf1(-x)); }

#ifdef __wasm_simd128__
static inline v128_t sigmoid4(v128_t x) {
  return wasm_f32x4_div(wasm_f32x4_splat(1.0f), wasm_f32x4_add(wasm_f32x4_splat(1.0f), exp4(wasm_f32x4_neg(x))));
}
#endif

// LSTM cell on pre-activation gates gx + gh [B, 4H] (i, f, g, o) and state c [B, H]:
// hc [B, 2H] = (h', c') with c' = σf·c + σi·tanh g, h' = σo·tanh c'; columns [j0, j1) of each row.
// With ws (else null), also keeps there [B, 5H] what the backward needs: σi, σf, tanh g, σo and
// tanh c' (the native build's training path; WASM recomputes them instead).
static void lstm_fwd_cols(int B, int H, int j0, int j1, const float *gx, const float *gh, const float *c, float *hc,
                          float *ws) {
  for (int b = 0; b < B; b++) {
    const float *xi = gx + b * 4 * H, *xf = xi + H, *xg = xf + H, *xo = xg + H, *cr = c + b * H;
    const float *hi = gh + b * 4 * H, *hf = hi + H, *hg = hf + H, *ho = hg + H;
    float *h2 = hc + b * 2 * H, *c2 = h2 + H;
    float *kept = ws ? ws + b * 5 * H : 0; // (no arithmetic on a null ws)
    int j = j0;
#ifdef __wasm_simd128__
#define GATE(x, h) wasm_f32x4_add(wasm_v128_load(x + j), wasm_v128_load(h + j))
    for (; j + LANES <= j1; j += LANES) {
      v128_t i = sigmoid4(GATE(xi, hi)), f = sigmoid4(GATE(xf, hf));
      v128_t g = tanh4(GATE(xg, hg)), o = sigmoid4(GATE(xo, ho));
      v128_t cn = wasm_f32x4_add(wasm_f32x4_mul(f, wasm_v128_load(cr + j)), wasm_f32x4_mul(i, g));
      v128_t t = tanh4(cn);
      wasm_v128_store(c2 + j, cn);
      wasm_v128_store(h2 + j, wasm_f32x4_mul(o, t));
      if (kept) {
        wasm_v128_store(kept + j, i);
        wasm_v128_store(kept + H + j, f);
        wasm_v128_store(kept + 2 * H + j, g);
        wasm_v128_store(kept + 3 * H + j, o);
        wasm_v128_store(kept + 4 * H + j, t);
      }
    }
#endif
    for (; j < j1; j++) {
      float i = sigmoid1(xi[j] + hi[j]), f = sigmoid1(xf[j] + hf[j]), g = tanhf1(xg[j] + hg[j]), o = sigmoid1(xo[j] + ho[j]);
      float cn = f * cr[j] + i * g, t = tanhf1(cn);
      c2[j] = cn;
      h2[j] = o * t;
      if (kept) kept[j] = i, kept[H + j] = f, kept[2 * H + j] = g, kept[3 * H + j] = o, kept[4 * H + j] = t;
    }
  }
}

// The LSTM cell's gradients at columns j.. of one row from its activations (i, f, g, o, tanh c'
// = t), the previous state cp and the incoming gradients of h' (dh) and c' (dcn): dgates'
// four blocks and dc. One vector here, one column in lstm_grad1.
#ifdef __wasm_simd128__
static inline void lstm_grad4(v128_t i, v128_t f, v128_t g, v128_t o, v128_t t, v128_t cp, const float *dh,
                              const float *dcn, float *di, float *df, float *dg, float *dO, float *dcr) {
  v128_t one = wasm_f32x4_splat(1.0f), gh = wasm_v128_load(dh);
  v128_t dct = wasm_f32x4_add(wasm_v128_load(dcn), wasm_f32x4_mul(wasm_f32x4_mul(gh, o), wasm_f32x4_sub(one, wasm_f32x4_mul(t, t))));
  wasm_v128_store(dO, wasm_f32x4_mul(wasm_f32x4_mul(gh, t), wasm_f32x4_mul(o, wasm_f32x4_sub(one, o))));
  wasm_v128_store(di, wasm_f32x4_mul(wasm_f32x4_mul(dct, g), wasm_f32x4_mul(i, wasm_f32x4_sub(one, i))));
  wasm_v128_store(df, wasm_f32x4_mul(wasm_f32x4_mul(dct, cp), wasm_f32x4_mul(f, wasm_f32x4_sub(one, f))));
  wasm_v128_store(dg, wasm_f32x4_mul(wasm_f32x4_mul(dct, i), wasm_f32x4_sub(one, wasm_f32x4_mul(g, g))));
  wasm_v128_store(dcr, wasm_f32x4_mul(dct, f));
}
#endif

static inline void lstm_grad1(float i, float f, float g, float o, float t, float cp, const float *dh, const float *dcn,
                              float *di, float *df, float *dg, float *dO, float *dcr) {
  float dct = *dcn + *dh * o * (1 - t * t);
  *dO = *dh * t * o * (1 - o);
  *di = dct * g * i * (1 - i);
  *df = dct * cp * f * (1 - f);
  *dg = dct * i * (1 - g * g);
  *dcr = dct * f;
}

// Backward of lstm_fwd_cols from ghc [B, 2H] (gradients of h' and c'): dgates [B, 4H] (the
// gradient of gx and of gh alike), dc [B, H]; columns [j0, j1) of each row. With ws (what
// lstm_fwd_cols kept) the activations are read, else evaluated again from gx + gh and c: the
// same values either way, so the same gradients.
static void lstm_bwd_cols(int B, int H, int j0, int j1, const float *gx, const float *gh, const float *c, const float *ws,
                          const float *ghc, float *dgates, float *dc) {
  for (int b = 0; b < B; b++) {
    // From ws, kept activations; else the gates (gx and gh are not read then, and may be null).
    const float *kept = ws ? ws + b * 5 * H : 0, *xi = ws ? 0 : gx + b * 4 * H, *hi = ws ? 0 : gh + b * 4 * H;
    const float *cr = c + b * H, *dh = ghc + b * 2 * H, *dcn = dh + H;
    float *di = dgates + b * 4 * H, *df = di + H, *dg = df + H, *dO = dg + H, *dcr = dc + b * H;
    int j = j0;
#ifdef __wasm_simd128__
    for (; j + LANES <= j1; j += LANES) {
      v128_t cp = wasm_v128_load(cr + j);
      if (kept) {
        lstm_grad4(wasm_v128_load(kept + j), wasm_v128_load(kept + H + j), wasm_v128_load(kept + 2 * H + j),
                   wasm_v128_load(kept + 3 * H + j), wasm_v128_load(kept + 4 * H + j), cp, dh + j, dcn + j, di + j, df + j,
                   dg + j, dO + j, dcr + j);
        continue;
      }
      v128_t i = sigmoid4(GATE(xi, hi)), f = sigmoid4(GATE(xi + H, hi + H));
      v128_t g = tanh4(GATE(xi + 2 * H, hi + 2 * H)), o = sigmoid4(GATE(xi + 3 * H, hi + 3 * H));
      v128_t t = tanh4(wasm_f32x4_add(wasm_f32x4_mul(f, cp), wasm_f32x4_mul(i, g)));
      lstm_grad4(i, f, g, o, t, cp, dh + j, dcn + j, di + j, df + j, dg + j, dO + j, dcr + j);
    }
#undef GATE
#endif
    for (; j < j1; j++) {
      float cp = cr[j];
      if (kept) {
        lstm_grad1(kept[j], kept[H + j], kept[2 * H + j], kept[3 * H + j], kept[4 * H + j], cp, dh + j, dcn + j, di + j,
                   df + j, dg + j, dO + j, dcr + j);
        continue;
      }
      const float *xf = xi + H, *xg = xf + H, *xo = xg + H, *hf = hi + H, *hg = hf + H, *ho = hg + H;
      float i = sigmoid1(xi[j] + hi[j]), f = sigmoid1(xf[j] + hf[j]), g = tanhf1(xg[j] + hg[j]), o = sigmoid1(xo[j] + ho[j]);
      lstm_grad1(i, f, g, o, tanhf1(f * cp + i * g), cp, dh + j, dcn + j, di + j, df + j, dg + j, dO + j, dcr + j);
    }
  }
}

void lstm_fwd(int B, int H, const float *gx, const float *gh, const float *c, float *hc) {
  lstm_fwd_cols(B, H, 0, H, gx, gh, c, hc, 0);
}

void lstm_bwd(int B, int H, const float *gx, const float *gh, const float *c, const float *ghc, float *dgates, float *dc) {
  lstm_bwd_cols(B, H, 0, H, gx, gh, c, 0, ghc, dgates, dc);
}

// GRU cell (PyTorch's gate order r, z, n) on gi = x·W_ihᵀ + b_ih and gh = h·W_hhᵀ + b_hh
// [B, 3H] and h [B, H]: r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r·gh_n),
// h' = n + z·(h − n).
static void gru_fwd_cols(int B, int H, int j0, int j1, const float *gi, const float *gh, const float *h, float *out) {
  for (int b = 0; b < B; b++) {
    const float *xr = gi + b * 3 * H, *xz = xr + H, *xn = xz + H, *hr = gh + b * 3 * H, *hz = hr + H, *hn = hz + H;
    const float *hp = h + b * H;
    float *o = out + b * H;
    int j = j0;
#ifdef __wasm_simd128__
    for (; j + LANES <= j1; j += LANES) {
      v128_t r = sigmoid4(wasm_f32x4_add(wasm_v128_load(xr + j), wasm_v128_load(hr + j)));
      v128_t z = sigmoid4(wasm_f32x4_add(wasm_v128_load(xz + j), wasm_v128_load(hz + j)));
      v128_t n = tanh4(wasm_f32x4_add(wasm_v128_load(xn + j), wasm_f32x4_mul(r, wasm_v128_load(hn + j))));
      wasm_v128_store(o + j, wasm_f32x4_add(n, wasm_f32x4_mul(z, wasm_f32x4_sub(wasm_v128_load(hp + j), n))));
    }
#endif
    for (; j < j1; j++) {
      float r = sigmoid1(xr[j] + hr[j]), z = sigmoid1(xz[j] + hz[j]), n = tanhf1(xn[j] + r * hn[j]);
      o[j] = n + z * (hp[j] - n);
    }
  }
}

// Backward of gru_fwd from grad [B, H]: dgi and dgh [B, 3H] (equal but for the n block, which
// dgh scales by r) and dh [B, H].
static void gru_bwd_cols(int B, int H, int j0, int j1, const float *gi, const float *gh, const float *h, const float *grad,
                         float *dgi, float *dgh, float *dh) {
  for (int b = 0; b < B; b++) {
    const float *xr = gi + b * 3 * H, *xz = xr + H, *xn = xz + H, *hr = gh + b * 3 * H, *hz = hr + H, *hn = hz + H;
    const float *hp = h + b * H, *g = grad + b * H;
    float *ir = dgi + b * 3 * H, *iz = ir + H, *in = iz + H, *sr = dgh + b * 3 * H, *sz = sr + H, *sn = sz + H;
    float *d = dh + b * H;
    int j = j0;
#ifdef __wasm_simd128__
    v128_t one = wasm_f32x4_splat(1.0f);
    for (; j + LANES <= j1; j += LANES) {
      v128_t r = sigmoid4(wasm_f32x4_add(wasm_v128_load(xr + j), wasm_v128_load(hr + j)));
      v128_t z = sigmoid4(wasm_f32x4_add(wasm_v128_load(xz + j), wasm_v128_load(hz + j)));
      v128_t hnj = wasm_v128_load(hn + j);
      v128_t n = tanh4(wasm_f32x4_add(wasm_v128_load(xn + j), wasm_f32x4_mul(r, hnj)));
      v128_t gj = wasm_v128_load(g + j), hpj = wasm_v128_load(hp + j);
      v128_t dn = wasm_f32x4_mul(wasm_f32x4_mul(gj, wasm_f32x4_sub(one, z)), wasm_f32x4_sub(one, wasm_f32x4_mul(n, n)));
      v128_t dz = wasm_f32x4_mul(wasm_f32x4_mul(gj, wasm_f32x4_sub(hpj, n)), wasm_f32x4_mul(z, wasm_f32x4_sub(one, z)));
      v128_t dr = wasm_f32x4_mul(wasm_f32x4_mul(dn, hnj), wasm_f32x4_mul(r, wasm_f32x4_sub(one, r)));
      wasm_v128_store(ir + j, dr); wasm_v128_store(sr + j, dr);
      wasm_v128_store(iz + j, dz); wasm_v128_store(sz + j, dz);
      wasm_v128_store(in + j, dn); wasm_v128_store(sn + j, wasm_f32x4_mul(dn, r));
      wasm_v128_store(d + j, wasm_f32x4_mul(gj, z));
    }
#endif
    for (; j < j1; j++) {
      float r = sigmoid1(xr[j] + hr[j]), z = sigmoid1(xz[j] + hz[j]), n = tanhf1(xn[j] + r * hn[j]);
      float dn = g[j] * (1 - z) * (1 - n * n), dz = g[j] * (hp[j] - n) * z * (1 - z), dr = dn * hn[j] * r * (1 - r);
      ir[j] = sr[j] = dr;
      iz[j] = sz[j] = dz;
      in[j] = dn;
      sn[j] = dn * r;
      d[j] = g[j] * z;
    }
  }
}

void gru_fwd(int B, int H, const float *gi, const float *gh, const float *h, float *out) {
  gru_fwd_cols(B, H, 0, H, gi, gh, h, out);
}

void gru_bwd(int B, int H, const float *gi, const float *gh, const float *h, const float *grad, float *dgi, float *dgh,
             float *dh) {
  gru_bwd_cols(B, H, 0, H, gi, gh, h, grad, dgi, dgh, dh);
}

// ABI version of these kernels' signatures; src/backend/pool/wasm.ts refuses a build whose
// number differs (a stale dist/ from older sources would otherwise be called with wrong args).
int gradnote_abi(void) { return 7; }
