// Single-precision GEMM for the pool backend, compiled to WebAssembly by scripts/build-wasm.mjs.
// Goto/BLIS structure: B is packed into KC x NR column panels, A into MC x KC blocks of MR-row
// panels, and a register-blocked MR x NR microkernel runs over them. Operands arrive with
// arbitrary row/column strides (transposed views cost nothing: the packers absorb them).
// Built twice: with -msimd128 (f32x4 microkernel) and without (scalar fallback).
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define MR 4
#define NR 8
#define KC 256
#define MC 128
#define NC 2048

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
static void micro(int kc, const float *a, const float *b, float *C, int ldc, int m, int n, int load) {
#ifdef __wasm_simd128__
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int k = 0; k < kc; k++) {
    v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
    v128_t a0 = wasm_v128_load32_splat(a), a1 = wasm_v128_load32_splat(a + 1);
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(a0, b0));
    c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(a0, b1));
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(a1, b0));
    c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(a1, b1));
    v128_t a2 = wasm_v128_load32_splat(a + 2), a3 = wasm_v128_load32_splat(a + 3);
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(a2, b0));
    c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(a2, b1));
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(a3, b0));
    c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(a3, b1));
    a += MR;
    b += NR;
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
    b += NR;
  }
#endif
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) C[i * ldc + j] = load ? C[i * ldc + j] + t[i * NR + j] : t[i * NR + j];
}

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
            micro(kc, packA + ir * kc, packB + jr * kc, C + (ic + ir) * ldc + jc + jr, ldc, mr, nr, load);
          }
        }
      }
    }
  }
}
