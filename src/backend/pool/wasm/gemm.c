// Single-precision GEMM for the pool backend, compiled to WebAssembly by scripts/build-wasm.mjs.
// Goto/BLIS structure: B is packed into KC x NR column panels, A into MC x KC blocks of MR-row
// panels, and a register-blocked MR x NR microkernel runs over them. Operands arrive with
// arbitrary row/column strides (transposed views cost nothing: the packers absorb them).
// Built three times: with -msimd128 -mrelaxed-simd (fused multiply-adds), with -msimd128
// (f32x4 multiply, then add) and without either (scalar fallback).
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#ifdef __wasm_relaxed_simd__
// acc + a·b in one instruction (f32x4.relaxed_madd: an FMA on x86-64 with FMA3 and on arm64).
// clang 14 emits the proposal's early opcode; scripts/wasm-relaxed.mjs rewrites it to the final one.
#define MADD(acc, a, b) __builtin_wasm_fma_f32x4((a), (b), (acc))
#else
#define MADD(acc, a, b) wasm_f32x4_add((acc), wasm_f32x4_mul((a), (b)))
#endif

#define MR 4
#define NR 8
#define KC 256
#define MC 128
#define NC 2048
// Up to this many rows of A, a row-major B is read in place (see sgemm).
#define SMALL_M 16

static float packA[MC * KC] __attribute__((aligned(16)));
static float packB[KC * NC] __attribute__((aligned(16)));

static void pack_a(int mc, int kc, const float *A, int rs, int cs, float *dst) {
  for (int i = 0; i < mc; i += MR) {
    int m = mc - i < MR ? mc - i : MR;
    const float *a = A + i * rs;
    if (m == MR && cs == 1) {
      const float *a0 = a, *a1 = a + rs, *a2 = a + 2 * rs, *a3 = a + 3 * rs;
      for (int k = 0; k < kc; k++) {
        dst[0] = a0[k]; dst[1] = a1[k]; dst[2] = a2[k]; dst[3] = a3[k];
        dst += MR;
      }
    } else if (m == MR && rs == 1) {
      // A transposed (column-major): each k holds the panel's MR rows side by side.
      for (int k = 0; k < kc; k++) {
#ifdef __wasm_simd128__
        wasm_v128_store(dst, wasm_v128_load(a + k * cs));
#else
        for (int r = 0; r < MR; r++) dst[r] = a[k * cs + r];
#endif
        dst += MR;
      }
    } else {
      for (int k = 0; k < kc; k++) {
        for (int r = 0; r < MR; r++) dst[r] = r < m ? a[r * rs + k * cs] : 0.0f;
        dst += MR;
      }
    }
  }
}

static void pack_b(int kc, int nc, const float *B, int rs, int cs, float *dst) {
  for (int j = 0; j < nc; j += NR) {
    int n = nc - j < NR ? nc - j : NR;
    const float *b = B + j * cs;
    if (n == NR && cs == 1) {
      for (int k = 0; k < kc; k++) {
#ifdef __wasm_simd128__
        wasm_v128_store(dst, wasm_v128_load(b + k * rs));
        wasm_v128_store(dst + 4, wasm_v128_load(b + k * rs + 4));
#else
        for (int c = 0; c < NR; c++) dst[c] = b[k * rs + c];
#endif
        dst += NR;
      }
    } else if (n == NR && rs == 1) {
      // B transposed (a linear layer's weight.t()): NR contiguous streams, one per column.
      const float *b0 = b, *b1 = b + cs, *b2 = b + 2 * cs, *b3 = b + 3 * cs, *b4 = b + 4 * cs, *b5 = b + 5 * cs,
                  *b6 = b + 6 * cs, *b7 = b + 7 * cs;
      for (int k = 0; k < kc; k++) {
        dst[0] = b0[k]; dst[1] = b1[k]; dst[2] = b2[k]; dst[3] = b3[k];
        dst[4] = b4[k]; dst[5] = b5[k]; dst[6] = b6[k]; dst[7] = b7[k];
        dst += NR;
      }
    } else {
      for (int k = 0; k < kc; k++) {
        for (int c = 0; c < NR; c++) dst[c] = c < n ? b[k * rs + c * cs] : 0.0f;
        dst += NR;
      }
    }
  }
}

// C[0:m, 0:n] (+)= Apanel x Bpanel over kc; `load` says whether C already holds a partial sum.
static void micro(int kc, const float *a, const float *b, int ldb, float *C, int ldc, int m, int n, int load) {
#ifdef __wasm_simd128__
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int k = 0; k < kc; k++) {
    v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
    v128_t a0 = wasm_v128_load32_splat(a), a1 = wasm_v128_load32_splat(a + 1);
    c00 = MADD(c00, a0, b0);
    c01 = MADD(c01, a0, b1);
    c10 = MADD(c10, a1, b0);
    c11 = MADD(c11, a1, b1);
    v128_t a2 = wasm_v128_load32_splat(a + 2), a3 = wasm_v128_load32_splat(a + 3);
    c20 = MADD(c20, a2, b0);
    c21 = MADD(c21, a2, b1);
    c30 = MADD(c30, a3, b0);
    c31 = MADD(c31, a3, b1);
    a += MR;
    b += ldb;
  }
  if (m == MR && n == NR) {
    float *r0 = C, *r1 = C + ldc, *r2 = C + 2 * ldc, *r3 = C + 3 * ldc;
    if (load) {
      c00 = wasm_f32x4_add(c00, wasm_v128_load(r0)); c01 = wasm_f32x4_add(c01, wasm_v128_load(r0 + 4));
      c10 = wasm_f32x4_add(c10, wasm_v128_load(r1)); c11 = wasm_f32x4_add(c11, wasm_v128_load(r1 + 4));
      c20 = wasm_f32x4_add(c20, wasm_v128_load(r2)); c21 = wasm_f32x4_add(c21, wasm_v128_load(r2 + 4));
      c30 = wasm_f32x4_add(c30, wasm_v128_load(r3)); c31 = wasm_f32x4_add(c31, wasm_v128_load(r3 + 4));
    }
    wasm_v128_store(r0, c00); wasm_v128_store(r0 + 4, c01);
    wasm_v128_store(r1, c10); wasm_v128_store(r1 + 4, c11);
    wasm_v128_store(r2, c20); wasm_v128_store(r2 + 4, c21);
    wasm_v128_store(r3, c30); wasm_v128_store(r3 + 4, c31);
    return;
  }
  float t[MR * NR] __attribute__((aligned(16)));
  wasm_v128_store(t, c00); wasm_v128_store(t + 4, c01);
  wasm_v128_store(t + 8, c10); wasm_v128_store(t + 12, c11);
  wasm_v128_store(t + 16, c20); wasm_v128_store(t + 20, c21);
  wasm_v128_store(t + 24, c30); wasm_v128_store(t + 28, c31);
#else
  float t[MR * NR];
  for (int i = 0; i < MR * NR; i++) t[i] = 0;
  for (int k = 0; k < kc; k++) {
    for (int i = 0; i < MR; i++)
      for (int j = 0; j < NR; j++) t[i * NR + j] += a[i] * b[j];
    a += MR;
    b += ldb;
  }
#endif
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) C[i * ldc + j] = load ? C[i * ldc + j] + t[i * NR + j] : t[i * NR + j];
}

#ifdef __wasm_simd128__
// Two rows of A (a panel's last rows when m is not a multiple of MR) against NR columns of B.
static void micro2(int kc, const float *a, const float *b, int ldb, float *C, int ldc, int m, int n, int load) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00;
  for (int k = 0; k < kc; k++) {
    v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
    v128_t a0 = wasm_v128_load32_splat(a), a1 = wasm_v128_load32_splat(a + 1);
    c00 = MADD(c00, a0, b0);
    c01 = MADD(c01, a0, b1);
    c10 = MADD(c10, a1, b0);
    c11 = MADD(c11, a1, b1);
    a += MR;
    b += ldb;
  }
  float t[2 * NR] __attribute__((aligned(16)));
  wasm_v128_store(t, c00); wasm_v128_store(t + 4, c01);
  wasm_v128_store(t + 8, c10); wasm_v128_store(t + 12, c11);
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) C[i * ldc + j] = load ? C[i * ldc + j] + t[i * NR + j] : t[i * NR + j];
}
#define MICRO_TAIL(kc, a, b, ldb, C, ldc, m, n, load) \
  ((m) <= 2 ? micro2(kc, a, b, ldb, C, ldc, m, n, load) : micro(kc, a, b, ldb, C, ldc, m, n, load))
#else
#define MICRO_TAIL micro
#endif

#ifdef __wasm_simd128__
// Lane sums of four vectors: [sum(a), sum(b), sum(c), sum(d)].
static inline v128_t hsum4(v128_t a, v128_t b, v128_t c, v128_t d) {
  v128_t ab = wasm_f32x4_add(wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), wasm_i32x4_shuffle(a, b, 2, 6, 3, 7));
  v128_t cd = wasm_f32x4_add(wasm_i32x4_shuffle(c, d, 0, 4, 1, 5), wasm_i32x4_shuffle(c, d, 2, 6, 3, 7));
  return wasm_f32x4_add(wasm_i32x4_shuffle(ab, cd, 0, 1, 4, 5), wasm_i32x4_shuffle(ab, cd, 2, 3, 6, 7));
}

static inline float dot(const float *a, const float *w, int k) {
  v128_t s = wasm_f32x4_splat(0);
  int p = 0;
  for (; p + 4 <= k; p += 4) s = MADD(s, wasm_v128_load(a + p), wasm_v128_load(w + p));
  float r = wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) + wasm_f32x4_extract_lane(s, 2) +
            wasm_f32x4_extract_lane(s, 3);
  for (; p < k; p++) r += a[p] * w[p];
  return r;
}

// C = A · Wᵀ (+ C) with A [m x k] and W [n x k] both row-major: the linear layer's product.
// Both operands are read in place along k, 2 rows of A against 4 rows of W at a time, so no
// packing pass is needed; for a small batch that pass would cost about as much as the product.
static void sgemm_nt(int m, int n, int k, const float *A, int lda, const float *W, int ldw, float *C, int ldc,
                     int load) {
  int k4 = k & ~3;
  int j = 0;
  for (; j + 4 <= n; j += 4) {
    const float *w0 = W + j * ldw, *w1 = w0 + ldw, *w2 = w1 + ldw, *w3 = w2 + ldw;
    int i = 0;
    for (; i + 2 <= m; i += 2) {
      const float *a0 = A + i * lda, *a1 = a0 + lda;
      v128_t s00 = wasm_f32x4_splat(0), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
      for (int p = 0; p < k4; p += 4) {
        v128_t x0 = wasm_v128_load(a0 + p), x1 = wasm_v128_load(a1 + p);
        v128_t v0 = wasm_v128_load(w0 + p), v1 = wasm_v128_load(w1 + p);
        s00 = MADD(s00, x0, v0);
        s01 = MADD(s01, x0, v1);
        s10 = MADD(s10, x1, v0);
        s11 = MADD(s11, x1, v1);
        v128_t v2 = wasm_v128_load(w2 + p), v3 = wasm_v128_load(w3 + p);
        s02 = MADD(s02, x0, v2);
        s03 = MADD(s03, x0, v3);
        s12 = MADD(s12, x1, v2);
        s13 = MADD(s13, x1, v3);
      }
      v128_t r0 = hsum4(s00, s01, s02, s03), r1 = hsum4(s10, s11, s12, s13);
      float *c0 = C + i * ldc + j, *c1 = c0 + ldc;
      if (load) {
        r0 = wasm_f32x4_add(r0, wasm_v128_load(c0));
        r1 = wasm_f32x4_add(r1, wasm_v128_load(c1));
      }
      wasm_v128_store(c0, r0);
      wasm_v128_store(c1, r1);
      if (k4 < k)
        for (int q = 0; q < 4; q++)
          for (int p = k4; p < k; p++) {
            c0[q] += a0[p] * W[(j + q) * ldw + p];
            c1[q] += a1[p] * W[(j + q) * ldw + p];
          }
    }
    for (; i < m; i++)
      for (int q = 0; q < 4; q++) {
        float r = dot(A + i * lda, W + (j + q) * ldw, k);
        C[i * ldc + j + q] = load ? C[i * ldc + j + q] + r : r;
      }
  }
  for (; j < n; j++)
    for (int i = 0; i < m; i++) {
      float r = dot(A + i * lda, W + j * ldw, k);
      C[i * ldc + j] = load ? C[i * ldc + j] + r : r;
    }
}
#endif

// C[m x n] (row stride ldc) = A[m x k] (strides rsa, csa) x B[k x n] (strides rsb, csb),
// plus C's previous contents when `accumulate` is set.
void sgemm(int m, int n, int k, const float *A, int rsa, int csa, const float *B, int rsb, int csb,
           float *C, int ldc, int accumulate) {
  if (k == 0) {
    if (!accumulate)
      for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) C[i * ldc + j] = 0;
    return;
  }
#ifdef __wasm_simd128__
  // A small batch times a linear layer's weight.t(): read both in place (see sgemm_nt).
  if (m <= 64 && csa == 1 && rsb == 1 && k >= 16) {
    sgemm_nt(m, n, k, A, rsa, B, csb, C, ldc, accumulate);
    return;
  }
#endif
  // Few rows (a convolution's output channels, a small batch) and B row-major: B's rows are read
  // in place, 8 columns at a time, instead of being packed (packing would cost as much as the
  // product when A has only a few rows); only a last partial panel is packed.
  if (m <= SMALL_M && csb == 1) {
    for (int pc = 0; pc < k; pc += KC) {
      int kc = k - pc < KC ? k - pc : KC;
      int load = accumulate || pc > 0;
      pack_a(m, kc, A + pc * csa, rsa, csa, packA);
      const float *Bp = B + pc * rsb;
      int jr = 0;
      for (; jr + NR <= n; jr += NR)
        for (int ir = 0; ir < m; ir += MR)
          MICRO_TAIL(kc, packA + ir * kc, Bp + jr, rsb, C + ir * ldc + jr, ldc, m - ir < MR ? m - ir : MR, NR, load);
      if (jr < n) {
        pack_b(kc, n - jr, Bp + jr, rsb, 1, packB);
        for (int ir = 0; ir < m; ir += MR)
          MICRO_TAIL(kc, packA + ir * kc, packB, NR, C + ir * ldc + jr, ldc, m - ir < MR ? m - ir : MR, n - jr, load);
      }
    }
    return;
  }
  for (int jc = 0; jc < n; jc += NC) {
    int nc = n - jc < NC ? n - jc : NC;
    for (int pc = 0; pc < k; pc += KC) {
      int kc = k - pc < KC ? k - pc : KC;
      pack_b(kc, nc, B + pc * rsb + jc * csb, rsb, csb, packB);
      int load = accumulate || pc > 0;
      for (int ic = 0; ic < m; ic += MC) {
        int mc = m - ic < MC ? m - ic : MC;
        pack_a(mc, kc, A + ic * rsa + pc * csa, rsa, csa, packA);
        for (int jr = 0; jr < nc; jr += NR) {
          int nr = nc - jr < NR ? nc - jr : NR;
          for (int ir = 0; ir < mc; ir += MR) {
            int mr = mc - ir < MR ? mc - ir : MR;
            MICRO_TAIL(kc, packA + ir * kc, packB + jr * kc, NR, C + (ic + ir) * ldc + jc + jr, ldc, mr, nr, load);
          }
        }
      }
    }
  }
}
