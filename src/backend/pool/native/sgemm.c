// Single-precision GEMM for x86-64 with AVX2 and FMA3, loaded by the pool backend as a Node
// addon when the machine's C compiler built it (scripts/build-native.mjs); the WASM kernels
// remain the portable path. Same Goto/BLIS structure as ../wasm/gemm.c, at twice the vector
// width: B packed into KC x 16 column panels, A into 6-row panels, a 6x16 register-blocked
// microkernel (12 accumulators of 8 floats). Operands are read where they lie, in the tensors'
// own memory, with any row/column strides: no copies in or out.
#include <stdlib.h>
#include <string.h>
#include <immintrin.h>
#include "kernels.h"

#define MR 6
#define NR 16
#ifndef KC
#define KC 256
#endif
#ifndef MC
#define MC 120
#endif
#ifndef NC
#define NC 1024
#endif
// Up to this many rows, a row-major B is read in place instead of packed (see gn_sgemm).
#define INPLACE_M 64
// Up to this many rows, A · Wᵀ runs as dot products (gemm_nt) instead of packing W.
#define NT_M 16

#define AVX2 __attribute__((target("avx2,fma")))

// Per-thread packing buffers (each pool worker calls the kernels on its own thread).
static __thread float *bufA, *bufB;
static __thread size_t capA, capB;

static float *grow(float **p, size_t *cap, size_t n) {
  if (*cap >= n) return *p;
  free(*p);
  size_t bytes = (n * sizeof(float) + 63) & ~(size_t)63;
  *p = aligned_alloc(64, bytes);
  *cap = *p ? n : 0;
  return *p;
}

// dst[k * MR + r] = A[(i + r) * rsa + k * csa] for each MR-row panel of an mc x kc block; rows
// past mc are zero.
AVX2 static void pack_a(int mc, int kc, const float *A, long rsa, long csa, float *dst) {
  for (int i = 0; i < mc; i += MR) {
    int m = mc - i < MR ? mc - i : MR;
    const float *a = A + i * rsa;
    if (m == MR && csa == 1) {
      const float *a0 = a, *a1 = a + rsa, *a2 = a1 + rsa, *a3 = a2 + rsa, *a4 = a3 + rsa, *a5 = a4 + rsa;
      for (int k = 0; k < kc; k++) {
        dst[0] = a0[k]; dst[1] = a1[k]; dst[2] = a2[k]; dst[3] = a3[k]; dst[4] = a4[k]; dst[5] = a5[k];
        dst += MR;
      }
    } else if (m == MR && rsa == 1) {
      for (int k = 0; k < kc; k++) {
        const float *s = a + k * csa;
        _mm_storeu_ps(dst, _mm_loadu_ps(s));
        dst[4] = s[4]; dst[5] = s[5];
        dst += MR;
      }
    } else {
      for (int k = 0; k < kc; k++) {
        for (int r = 0; r < MR; r++) dst[r] = r < m ? a[r * rsa + k * csa] : 0.0f;
        dst += MR;
      }
    }
  }
}

// Transposes the 8x8 block whose rows start at s[r * ld] into dst[kk * NR], kk = 0..7.
AVX2 static inline void transpose8(const float *s, long ld, float *dst) {
  __m256 r0 = _mm256_loadu_ps(s), r1 = _mm256_loadu_ps(s + ld), r2 = _mm256_loadu_ps(s + 2 * ld),
         r3 = _mm256_loadu_ps(s + 3 * ld), r4 = _mm256_loadu_ps(s + 4 * ld), r5 = _mm256_loadu_ps(s + 5 * ld),
         r6 = _mm256_loadu_ps(s + 6 * ld), r7 = _mm256_loadu_ps(s + 7 * ld);
  __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3),
         t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5),
         t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
  __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE),
         u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE),
         u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE),
         u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  _mm256_store_ps(dst + 0 * NR, _mm256_permute2f128_ps(u0, u4, 0x20));
  _mm256_store_ps(dst + 1 * NR, _mm256_permute2f128_ps(u1, u5, 0x20));
  _mm256_store_ps(dst + 2 * NR, _mm256_permute2f128_ps(u2, u6, 0x20));
  _mm256_store_ps(dst + 3 * NR, _mm256_permute2f128_ps(u3, u7, 0x20));
  _mm256_store_ps(dst + 4 * NR, _mm256_permute2f128_ps(u0, u4, 0x31));
  _mm256_store_ps(dst + 5 * NR, _mm256_permute2f128_ps(u1, u5, 0x31));
  _mm256_store_ps(dst + 6 * NR, _mm256_permute2f128_ps(u2, u6, 0x31));
  _mm256_store_ps(dst + 7 * NR, _mm256_permute2f128_ps(u3, u7, 0x31));
}

// dst[k * NR + c] = B[k * rsb + (j + c) * csb] for each NR-column panel of a kc x nc block, panel
// j at dst + j * kc; columns past nc are zero.
AVX2 static void pack_b(int kc, int nc, const float *B, long rsb, long csb, float *dst) {
  for (int j = 0; j < nc; j += NR) {
    int n = nc - j < NR ? nc - j : NR;
    const float *b = B + j * csb;
    float *d = dst + (long)j * kc;
    if (n == NR && csb == 1) {
      for (int k = 0; k < kc; k++) {
        _mm256_store_ps(d + k * NR, _mm256_loadu_ps(b + k * rsb));
        _mm256_store_ps(d + k * NR + 8, _mm256_loadu_ps(b + k * rsb + 8));
      }
    } else if (n == NR && rsb == 1) {
      // B column-major (a linear layer's weight.t()): 8x8 transposes of its contiguous columns.
      int k = 0;
      for (; k + 8 <= kc; k += 8) {
        transpose8(b + k, csb, d + k * NR);
        transpose8(b + 8 * csb + k, csb, d + k * NR + 8);
      }
      for (; k < kc; k++)
        for (int c = 0; c < NR; c++) d[k * NR + c] = b[k + c * csb];
    } else {
      for (int k = 0; k < kc; k++)
        for (int c = 0; c < NR; c++) d[k * NR + c] = c < n ? b[k * rsb + c * csb] : 0.0f;
    }
  }
}

#define ROW(i)                                                                 \
  if (i < mr) {                                                                \
    float *r = C + (i) * ldc;                                                  \
    const float *q = add ? add + (i) * addld : 0;                              \
    if (nr == NR) {                                                            \
      if (add) {                                                               \
        c##i##0 = _mm256_add_ps(c##i##0, _mm256_loadu_ps(q));                  \
        c##i##1 = _mm256_add_ps(c##i##1, _mm256_loadu_ps(q + 8));              \
      }                                                                        \
      _mm256_storeu_ps(r, c##i##0);                                            \
      _mm256_storeu_ps(r + 8, c##i##1);                                        \
    } else {                                                                   \
      float t[NR] __attribute__((aligned(32)));                                \
      _mm256_store_ps(t, c##i##0);                                             \
      _mm256_store_ps(t + 8, c##i##1);                                         \
      for (int j = 0; j < nr; j++) r[j] = add ? q[j] + t[j] : t[j];            \
    }                                                                          \
  }

// C[0:mr, 0:nr] = a-panel x b-panel over kc, plus the addend: row i adds add[i * addld + j]
// when add is set (C itself with addld = ldc to accumulate, a bias row with addld = 0). b
// advances by ldb floats a step (NR when packed, B's row stride when read in place).
AVX2 static void micro(int kc, const float *a, const float *b, long ldb, float *C, long ldc, int mr, int nr,
                       const float *add, long addld) {
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00,
         c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int k = 0; k < kc; k++) {
    __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
    __m256 x = _mm256_broadcast_ss(a);
    c00 = _mm256_fmadd_ps(x, b0, c00);
    c01 = _mm256_fmadd_ps(x, b1, c01);
    x = _mm256_broadcast_ss(a + 1);
    c10 = _mm256_fmadd_ps(x, b0, c10);
    c11 = _mm256_fmadd_ps(x, b1, c11);
    x = _mm256_broadcast_ss(a + 2);
    c20 = _mm256_fmadd_ps(x, b0, c20);
    c21 = _mm256_fmadd_ps(x, b1, c21);
    x = _mm256_broadcast_ss(a + 3);
    c30 = _mm256_fmadd_ps(x, b0, c30);
    c31 = _mm256_fmadd_ps(x, b1, c31);
    x = _mm256_broadcast_ss(a + 4);
    c40 = _mm256_fmadd_ps(x, b0, c40);
    c41 = _mm256_fmadd_ps(x, b1, c41);
    x = _mm256_broadcast_ss(a + 5);
    c50 = _mm256_fmadd_ps(x, b0, c50);
    c51 = _mm256_fmadd_ps(x, b1, c51);
    a += MR;
    b += ldb;
  }
  ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5)
}

// The same product on AVX-512 (where the CPU has it, checked once at load: gn_cpu_ok): a 6x32
// block, two NR-column panels side by side in 12 accumulators of 16 floats, partial columns
// stored under a mask. Every C element is still the k-ordered chain of FMAs from zero added to
// C's previous value, as in micro(): the results are bitwise those of the AVX2 kernel.
#define AVX512 __attribute__((target("avx512f,avx2,fma")))
static int use512;

#define ROW512(i)                                                                                  \
  if (i < mr) {                                                                                    \
    float *r = C + (i) * ldc;                                                                      \
    const float *q = add ? add + (i) * addld : 0;                                                  \
    if (add) {                                                                                     \
      c##i##0 = _mm512_add_ps(c##i##0, _mm512_maskz_loadu_ps(m0, q));                             \
      if (m1) c##i##1 = _mm512_add_ps(c##i##1, _mm512_maskz_loadu_ps(m1, q + 16));                \
    }                                                                                              \
    _mm512_mask_storeu_ps(r, m0, c##i##0);                                                         \
    if (m1) _mm512_mask_storeu_ps(r + 16, m1, c##i##1);                                            \
  }

// C[0:mr, 0:nr] = a-panel x [b0-panel | b1-panel] over kc (+ the addend, as in micro), nr <= 32
// (b1 unread when nr <= 16).
AVX512 static void micro512(int kc, const float *a, const float *b0, const float *b1, long ldb, float *C, long ldc, int mr,
                            int nr, const float *add, long addld) {
  __m512 c00 = _mm512_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00,
         c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  __mmask16 m0 = nr >= 16 ? 0xffff : (__mmask16)((1u << nr) - 1);
  __mmask16 m1 = nr >= 32 ? 0xffff : nr > 16 ? (__mmask16)((1u << (nr - 16)) - 1) : 0;
  if (m1) {
    for (int k = 0; k < kc; k++) {
      __m512 v0 = _mm512_loadu_ps(b0), v1 = _mm512_loadu_ps(b1);
      __m512 x = _mm512_set1_ps(a[0]);
      c00 = _mm512_fmadd_ps(x, v0, c00);
      c01 = _mm512_fmadd_ps(x, v1, c01);
      x = _mm512_set1_ps(a[1]);
      c10 = _mm512_fmadd_ps(x, v0, c10);
      c11 = _mm512_fmadd_ps(x, v1, c11);
      x = _mm512_set1_ps(a[2]);
      c20 = _mm512_fmadd_ps(x, v0, c20);
      c21 = _mm512_fmadd_ps(x, v1, c21);
      x = _mm512_set1_ps(a[3]);
      c30 = _mm512_fmadd_ps(x, v0, c30);
      c31 = _mm512_fmadd_ps(x, v1, c31);
      x = _mm512_set1_ps(a[4]);
      c40 = _mm512_fmadd_ps(x, v0, c40);
      c41 = _mm512_fmadd_ps(x, v1, c41);
      x = _mm512_set1_ps(a[5]);
      c50 = _mm512_fmadd_ps(x, v0, c50);
      c51 = _mm512_fmadd_ps(x, v1, c51);
      a += MR;
      b0 += ldb;
      b1 += ldb;
    }
  } else {
    for (int k = 0; k < kc; k++) {
      __m512 v0 = _mm512_loadu_ps(b0);
      c00 = _mm512_fmadd_ps(_mm512_set1_ps(a[0]), v0, c00);
      c10 = _mm512_fmadd_ps(_mm512_set1_ps(a[1]), v0, c10);
      c20 = _mm512_fmadd_ps(_mm512_set1_ps(a[2]), v0, c20);
      c30 = _mm512_fmadd_ps(_mm512_set1_ps(a[3]), v0, c30);
      c40 = _mm512_fmadd_ps(_mm512_set1_ps(a[4]), v0, c40);
      c50 = _mm512_fmadd_ps(_mm512_set1_ps(a[5]), v0, c50);
      a += MR;
      b0 += ldb;
    }
  }
  ROW512(0) ROW512(1) ROW512(2) ROW512(3) ROW512(4) ROW512(5)
}

// Lane sums of four vectors: [sum(a), sum(b), sum(c), sum(d)].
AVX2 static inline __m128 hsum4(__m256 a, __m256 b, __m256 c, __m256 d) {
  __m256 ab = _mm256_hadd_ps(a, b), cd = _mm256_hadd_ps(c, d), abcd = _mm256_hadd_ps(ab, cd);
  return _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1));
}

AVX2 static inline float dot(const float *a, const float *b, int k) {
  __m256 s = _mm256_setzero_ps();
  int p = 0;
  for (; p + 8 <= k; p += 8) s = _mm256_fmadd_ps(_mm256_loadu_ps(a + p), _mm256_loadu_ps(b + p), s);
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
  h = _mm_hadd_ps(h, h);
  h = _mm_hadd_ps(h, h);
  float r = _mm_cvtss_f32(h);
  for (; p < k; p++) r += a[p] * b[p];
  return r;
}

// C (+)= A · Wᵀ with A [m x k] and W [n x k] both contiguous along k: dot products read in place,
// 2 rows of A against 4 rows of W at a time. For few rows of A (a convolution's weight gradient:
// output channels x kernel taps over a long inner size) this beats packing W, which would move
// all of it to serve a single panel of rows.
AVX2 static void gemm_nt(int m, int n, int k, const float *A, long lda, const float *W, long ldw, float *C, long ldc,
                         const float *add, long addld) {
  int k8 = k & ~7, i = 0;
  for (; i + 2 <= m; i += 2) {
    const float *a0 = A + i * lda, *a1 = a0 + lda;
    int j = 0;
    for (; j + 4 <= n; j += 4) {
      const float *w0 = W + j * ldw, *w1 = w0 + ldw, *w2 = w1 + ldw, *w3 = w2 + ldw;
      __m256 s00 = _mm256_setzero_ps(), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
      for (int p = 0; p < k8; p += 8) {
        __m256 x0 = _mm256_loadu_ps(a0 + p), x1 = _mm256_loadu_ps(a1 + p);
        __m256 v = _mm256_loadu_ps(w0 + p);
        s00 = _mm256_fmadd_ps(x0, v, s00);
        s10 = _mm256_fmadd_ps(x1, v, s10);
        v = _mm256_loadu_ps(w1 + p);
        s01 = _mm256_fmadd_ps(x0, v, s01);
        s11 = _mm256_fmadd_ps(x1, v, s11);
        v = _mm256_loadu_ps(w2 + p);
        s02 = _mm256_fmadd_ps(x0, v, s02);
        s12 = _mm256_fmadd_ps(x1, v, s12);
        v = _mm256_loadu_ps(w3 + p);
        s03 = _mm256_fmadd_ps(x0, v, s03);
        s13 = _mm256_fmadd_ps(x1, v, s13);
      }
      float r[8];
      _mm_storeu_ps(r, hsum4(s00, s01, s02, s03));
      _mm_storeu_ps(r + 4, hsum4(s10, s11, s12, s13));
      for (int p = k8; p < k; p++)
        for (int q = 0; q < 4; q++) {
          r[q] += a0[p] * W[(j + q) * ldw + p];
          r[4 + q] += a1[p] * W[(j + q) * ldw + p];
        }
      float *c0 = C + i * ldc + j, *c1 = c0 + ldc;
      const float *q0 = add ? add + i * addld + j : 0, *q1 = add ? q0 + addld : 0;
      for (int q = 0; q < 4; q++) {
        c0[q] = add ? q0[q] + r[q] : r[q];
        c1[q] = add ? q1[q] + r[4 + q] : r[4 + q];
      }
    }
    for (; j < n; j++) {
      float r0 = dot(a0, W + j * ldw, k), r1 = dot(a1, W + j * ldw, k);
      C[i * ldc + j] = add ? add[i * addld + j] + r0 : r0;
      C[(i + 1) * ldc + j] = add ? add[(i + 1) * addld + j] + r1 : r1;
    }
  }
  for (; i < m; i++)
    for (int j = 0; j < n; j++) {
      float r = dot(A + i * lda, W + j * ldw, k);
      C[i * ldc + j] = add ? add[i * addld + j] + r : r;
    }
}

int gn_sgemm(int m, int n, int k, const float *A, long rsa, long csa, const float *B, long rsb, long csb, float *C,
             long ldc, int accumulate, const float *bias) {
  if (m <= 0 || n <= 0) return 0;
  if (bias && (accumulate || k <= 0)) {
    // C (or zeros) plus the bias first; the product then accumulates onto it.
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) C[i * ldc + j] = accumulate ? C[i * ldc + j] + bias[j] : bias[j];
    accumulate = 1;
    bias = 0;
  }
  if (k <= 0) {
    if (!accumulate)
      for (int i = 0; i < m; i++) memset(C + i * ldc, 0, (size_t)n * sizeof(float));
    return 0;
  }
  // Few rows of A, both operands contiguous along k (B = Wᵀ of a row-major W): dot products.
  if (m <= NT_M && csa == 1 && rsb == 1 && k >= 32) {
    gemm_nt(m, n, k, A, rsa, B, csb, C, ldc, accumulate ? C : bias, accumulate ? ldc : 0);
    return 0;
  }
  // A few rows of A against a row-major B: B's rows are read in place (packing B would cost about
  // as much as the product); only a last partial panel of columns is packed.
  int inplace = csb == 1 && m <= INPLACE_M;
  int kcMax = k < KC ? k : KC, ncMax = n < NC ? n : NC, mcMax = m < MC ? m : MC;
  float *pa = grow(&bufA, &capA, (size_t)kcMax * ((mcMax + MR - 1) / MR * MR));
  float *pb = grow(&bufB, &capB, (size_t)kcMax * ((ncMax + NR - 1) / NR * NR));
  if (!pa || !pb) return -1;
  for (int jc = 0; jc < n; jc += NC) {
    int nc = n - jc < NC ? n - jc : NC;
    for (int pc = 0; pc < k; pc += KC) {
      int kc = k - pc < KC ? k - pc : KC;
      // What each tile adds to its product: C's previous value after the first block of k (or
      // from the start when accumulating), else the bias row, else nothing.
      int load = accumulate || pc > 0;
      const float *Bb = B + pc * rsb + jc * csb;
      int tail = nc / NR * NR;
      if (!inplace) pack_b(kc, nc, Bb, rsb, csb, pb);
      else if (tail < nc) pack_b(kc, nc - tail, Bb + tail, rsb, csb, pb);
      for (int ic = 0; ic < m; ic += MC) {
        int mc = m - ic < MC ? m - ic : MC;
        pack_a(mc, kc, A + ic * rsa + pc * csa, rsa, csa, pa);
        for (int jr = 0; jr < nc;) {
          int nr = nc - jr < NR ? nc - jr : NR;
          const float *bp = inplace ? (jr < tail ? Bb + jr : pb) : pb + (long)jr * kc;
          long ldb = inplace && jr < tail ? rsb : NR;
          int w = nr;
          const float *bq = bp;
          if (use512 && nr == NR && jr + NR < nc && (!inplace || jr + NR < tail)) {
            // Two panels at once where the second is read the same way (both packed, or both in place).
            bq = inplace ? Bb + jr + NR : pb + (long)(jr + NR) * kc;
            w = nc - jr < 2 * NR ? nc - jr : 2 * NR;
          }
          for (int ir = 0; ir < mc; ir += MR) {
            float *c = C + (ic + ir) * ldc + jc + jr;
            const float *add = load ? c : bias ? bias + jc + jr : 0;
            long addld = load ? ldc : 0;
            int mr = mc - ir < MR ? mc - ir : MR;
            if (use512) micro512(kc, pa + ir * kc, bp, bq, ldb, c, ldc, mr, w, add, addld);
            else micro(kc, pa + ir * kc, bp, ldb, c, ldc, mr, nr, add, addld);
          }
          jr += w;
        }
      }
    }
  }
  return 0;
}

int gn_cpu_ok(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

int gn_use_avx512(int allow) {
  __builtin_cpu_init();
  use512 = allow && gn_cpu_ok() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
  return use512;
}

int gn_avx512_on(void) { return use512; }
