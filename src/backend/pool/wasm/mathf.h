// Float32 exp and tanh shared by the elementwise and fused kernels (header-only, static inline).
#ifndef GRADNOTE_MATHF_H
#define GRADNOTE_MATHF_H
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

// exp, sigmoid and tanh in float32 after Cephes' expf/tanhf (about 1 ulp): range reduction by
// ln 2, a degree-6 polynomial, and the exponent added as bits. Scalar twins serve the tails.
#define EXP_HI 88.72283935546875f
#define EXP_LO -103.972084045410f

static inline float expf1(float x) {
  if (x != x) return x;
  if (x > EXP_HI) return __builtin_inff();
  if (x < EXP_LO) return 0.0f;
  float fx = __builtin_floorf(x * 1.44269504088896341f + 0.5f);
  x = x - fx * 0.693359375f + fx * 2.12194440e-4f;
  float z = x * x;
  float y = ((((1.9875691500E-4f * x + 1.3981999507E-3f) * x + 8.3334519073E-3f) * x + 4.1665795894E-2f) * x +
             1.6666665459E-1f) * x + 5.0000001201E-1f;
  y = y * z + x + 1.0f;
  // 2^fx in two halves so that neither leaves the normal range (results may be subnormal).
  int n1 = (int)fx >> 1, n2 = (int)fx - n1;
  union { int i; float f; } u1 = { (n1 + 127) << 23 }, u2 = { (n2 + 127) << 23 };
  return y * u1.f * u2.f;
}

static inline float tanhf1(float x) {
  float ax = x < 0 ? -x : x;
  if (ax < 0.625f) {
    float z = x * x;
    return ((((-5.70498872745E-3f * z + 2.06390887954E-2f) * z - 5.37397155531E-2f) * z + 1.33314422036E-1f) * z -
            3.33332819422E-1f) * z * x + x;
  }
  float r = 1.0f - 2.0f / (expf1(2.0f * ax) + 1.0f);
  return x < 0 ? -r : r;
}
enum { GT, GE, LT, LE, EQ, NE };

#ifdef __wasm_simd128__
static inline v128_t exp4(v128_t x) {
  v128_t nan = wasm_f32x4_ne(x, x), over = wasm_f32x4_gt(x, wasm_f32x4_splat(EXP_HI));
  v128_t under = wasm_f32x4_lt(x, wasm_f32x4_splat(EXP_LO));
  // pmin/pmax are one instruction each on x86 (min/max add NaN handling; NaN is selected below).
  v128_t c = wasm_f32x4_pmax(x, wasm_f32x4_splat(EXP_LO));
  c = wasm_f32x4_pmin(c, wasm_f32x4_splat(EXP_HI));
  // Round x·log2(e) to an integer by adding 1.5·2^23: the float is then exactly that integer and
  // its low mantissa bits are the integer itself (no float→int conversion needed).
  const float magic = 12582912.0f;
  v128_t t = wasm_f32x4_add(wasm_f32x4_mul(c, wasm_f32x4_splat(1.44269504088896341f)), wasm_f32x4_splat(magic));
  v128_t fx = wasm_f32x4_sub(t, wasm_f32x4_splat(magic));
  v128_t n = wasm_i32x4_sub(t, wasm_f32x4_splat(magic));
  c = wasm_f32x4_sub(c, wasm_f32x4_mul(fx, wasm_f32x4_splat(0.693359375f)));
  c = wasm_f32x4_add(c, wasm_f32x4_mul(fx, wasm_f32x4_splat(2.12194440e-4f)));
  v128_t z = wasm_f32x4_mul(c, c);
  v128_t y = wasm_f32x4_splat(1.9875691500E-4f);
  y = wasm_f32x4_add(wasm_f32x4_mul(y, c), wasm_f32x4_splat(1.3981999507E-3f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, c), wasm_f32x4_splat(8.3334519073E-3f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, c), wasm_f32x4_splat(4.1665795894E-2f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, c), wasm_f32x4_splat(1.6666665459E-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, c), wasm_f32x4_splat(5.0000001201E-1f));
  y = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(y, z), c), wasm_f32x4_splat(1.0f));
  // 2^n in two halves so that neither leaves the normal range (results may be subnormal).
  v128_t n1 = wasm_i32x4_shr(n, 1), n2 = wasm_i32x4_sub(n, n1);
  y = wasm_f32x4_mul(y, wasm_i32x4_shl(wasm_i32x4_add(n1, wasm_i32x4_splat(127)), 23));
  y = wasm_f32x4_mul(y, wasm_i32x4_shl(wasm_i32x4_add(n2, wasm_i32x4_splat(127)), 23));
  y = wasm_v128_bitselect(wasm_f32x4_splat(__builtin_inff()), y, over);
  y = wasm_v128_andnot(y, under);
  return wasm_v128_bitselect(x, y, nan);
}

static inline v128_t tanh4(v128_t x) {
  v128_t ax = wasm_f32x4_abs(x);
  v128_t z = wasm_f32x4_mul(x, x);
  v128_t p = wasm_f32x4_splat(-5.70498872745E-3f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(2.06390887954E-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(-5.37397155531E-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(1.33314422036E-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(-3.33332819422E-1f));
  v128_t small = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, z), x), x);
  v128_t e = exp4(wasm_f32x4_add(ax, ax));
  v128_t big = wasm_f32x4_sub(wasm_f32x4_splat(1.0f), wasm_f32x4_div(wasm_f32x4_splat(2.0f), wasm_f32x4_add(e, wasm_f32x4_splat(1.0f))));
  // Copy x's sign onto the large-|x| branch.
  big = wasm_v128_or(big, wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000)));
  v128_t r = wasm_v128_bitselect(small, big, wasm_f32x4_lt(ax, wasm_f32x4_splat(0.625f)));
  return wasm_v128_bitselect(x, r, wasm_f32x4_ne(x, x));
}

#endif
#endif
