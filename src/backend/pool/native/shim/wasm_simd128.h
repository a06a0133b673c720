// The subset of clang's <wasm_simd128.h> that ../../wasm/{conv,ew,fused}.c and mathf.h use,
// written on SSE4.1 so that the native build (../conv.c, ../ew.c, ../fused.c) runs those files'
// SIMD paths with the same lane arithmetic as WebAssembly SIMD: same operations in the same order,
// hence the same floats. Where x86 differs from WebAssembly (min/max with NaN and signed zeros,
// shifts by a variable count) the WebAssembly result is built explicitly. Only for those files.
#ifndef GRADNOTE_WASM_SIMD128_SHIM_H
#define GRADNOTE_WASM_SIMD128_SHIM_H
#if defined(GN_SHIM_AVX512)
// ../fused16.c: the same names on 16 lanes (AVX-512 F and DQ), for ../../wasm/fused.c compiled
// with LANES 16. Comparisons give all-ones lanes, as WebAssembly's do, through a mask register.
#include <immintrin.h>

typedef __m512 v128_t;

#define SHIM static inline __attribute__((always_inline))
#define I(v) _mm512_castps_si512(v)
#define F(v) _mm512_castsi512_ps(v)

SHIM v128_t wasm_v128_load(const void *p) { return _mm512_loadu_ps((const float *)p); }
SHIM void wasm_v128_store(void *p, v128_t v) { _mm512_storeu_ps((float *)p, v); }
SHIM v128_t wasm_f32x4_splat(float x) { return _mm512_set1_ps(x); }
SHIM v128_t wasm_i32x4_splat(int x) { return F(_mm512_set1_epi32(x)); }
SHIM v128_t wasm_f32x4_add(v128_t a, v128_t b) { return _mm512_add_ps(a, b); }
SHIM v128_t wasm_f32x4_sub(v128_t a, v128_t b) { return _mm512_sub_ps(a, b); }
SHIM v128_t wasm_f32x4_mul(v128_t a, v128_t b) { return _mm512_mul_ps(a, b); }
SHIM v128_t wasm_f32x4_div(v128_t a, v128_t b) { return _mm512_div_ps(a, b); }
SHIM v128_t wasm_f32x4_sqrt(v128_t a) { return _mm512_sqrt_ps(a); }
SHIM v128_t wasm_f32x4_neg(v128_t a) { return F(_mm512_xor_si512(I(a), _mm512_set1_epi32((int)0x80000000))); }
SHIM v128_t wasm_f32x4_abs(v128_t a) { return F(_mm512_and_si512(I(a), _mm512_set1_epi32(0x7fffffff))); }
SHIM v128_t wasm_f32x4_gt(v128_t a, v128_t b) { return F(_mm512_movm_epi32(_mm512_cmp_ps_mask(a, b, _CMP_GT_OQ))); }
SHIM v128_t wasm_f32x4_lt(v128_t a, v128_t b) { return F(_mm512_movm_epi32(_mm512_cmp_ps_mask(a, b, _CMP_LT_OQ))); }
SHIM v128_t wasm_f32x4_ne(v128_t a, v128_t b) { return F(_mm512_movm_epi32(_mm512_cmp_ps_mask(a, b, _CMP_NEQ_UQ))); }
SHIM v128_t wasm_f32x4_pmin(v128_t a, v128_t b) { return _mm512_min_ps(b, a); }
SHIM v128_t wasm_f32x4_pmax(v128_t a, v128_t b) { return _mm512_max_ps(b, a); }
SHIM v128_t wasm_v128_and(v128_t a, v128_t b) { return F(_mm512_and_si512(I(a), I(b))); }
SHIM v128_t wasm_v128_or(v128_t a, v128_t b) { return F(_mm512_or_si512(I(a), I(b))); }
SHIM v128_t wasm_v128_andnot(v128_t a, v128_t b) { return F(_mm512_andnot_si512(I(b), I(a))); }
SHIM v128_t wasm_v128_bitselect(v128_t a, v128_t b, v128_t m) {
  return F(_mm512_or_si512(_mm512_and_si512(I(m), I(a)), _mm512_andnot_si512(I(m), I(b))));
}
SHIM v128_t wasm_i32x4_add(v128_t a, v128_t b) { return F(_mm512_add_epi32(I(a), I(b))); }
SHIM v128_t wasm_i32x4_sub(v128_t a, v128_t b) { return F(_mm512_sub_epi32(I(a), I(b))); }
SHIM v128_t wasm_i32x4_shl(v128_t a, unsigned n) { return F(_mm512_sll_epi32(I(a), _mm_cvtsi32_si128((int)(n & 31)))); }
SHIM v128_t wasm_i32x4_shr(v128_t a, unsigned n) { return F(_mm512_sra_epi32(I(a), _mm_cvtsi32_si128((int)(n & 31)))); }
#elif defined(GN_SHIM_AVX2)
// ../fused8.c: the same names on 8 lanes (AVX2), for ../../wasm/fused.c compiled with LANES 8.
// Each lane computes exactly what one lane of the SSE version below computes; only the
// operations that fused.c and mathf.h use are here.
#include <immintrin.h>

typedef __m256 v128_t;

#define SHIM static inline __attribute__((always_inline))
#define I(v) _mm256_castps_si256(v)
#define F(v) _mm256_castsi256_ps(v)

SHIM v128_t wasm_v128_load(const void *p) { return _mm256_loadu_ps((const float *)p); }
SHIM void wasm_v128_store(void *p, v128_t v) { _mm256_storeu_ps((float *)p, v); }
SHIM v128_t wasm_f32x4_splat(float x) { return _mm256_set1_ps(x); }
SHIM v128_t wasm_i32x4_splat(int x) { return F(_mm256_set1_epi32(x)); }
SHIM v128_t wasm_f32x4_add(v128_t a, v128_t b) { return _mm256_add_ps(a, b); }
SHIM v128_t wasm_f32x4_sub(v128_t a, v128_t b) { return _mm256_sub_ps(a, b); }
SHIM v128_t wasm_f32x4_mul(v128_t a, v128_t b) { return _mm256_mul_ps(a, b); }
SHIM v128_t wasm_f32x4_div(v128_t a, v128_t b) { return _mm256_div_ps(a, b); }
SHIM v128_t wasm_f32x4_sqrt(v128_t a) { return _mm256_sqrt_ps(a); }
SHIM v128_t wasm_f32x4_neg(v128_t a) { return _mm256_xor_ps(a, _mm256_set1_ps(-0.0f)); }
SHIM v128_t wasm_f32x4_abs(v128_t a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
SHIM v128_t wasm_f32x4_gt(v128_t a, v128_t b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
SHIM v128_t wasm_f32x4_lt(v128_t a, v128_t b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
SHIM v128_t wasm_f32x4_ne(v128_t a, v128_t b) { return _mm256_cmp_ps(a, b, _CMP_NEQ_UQ); }
SHIM v128_t wasm_f32x4_pmin(v128_t a, v128_t b) { return _mm256_min_ps(b, a); }
SHIM v128_t wasm_f32x4_pmax(v128_t a, v128_t b) { return _mm256_max_ps(b, a); }
SHIM v128_t wasm_v128_and(v128_t a, v128_t b) { return _mm256_and_ps(a, b); }
SHIM v128_t wasm_v128_or(v128_t a, v128_t b) { return _mm256_or_ps(a, b); }
SHIM v128_t wasm_v128_andnot(v128_t a, v128_t b) { return _mm256_andnot_ps(b, a); }
SHIM v128_t wasm_v128_bitselect(v128_t a, v128_t b, v128_t m) { return _mm256_or_ps(_mm256_and_ps(m, a), _mm256_andnot_ps(m, b)); }
SHIM v128_t wasm_i32x4_add(v128_t a, v128_t b) { return F(_mm256_add_epi32(I(a), I(b))); }
SHIM v128_t wasm_i32x4_sub(v128_t a, v128_t b) { return F(_mm256_sub_epi32(I(a), I(b))); }
SHIM v128_t wasm_i32x4_shl(v128_t a, unsigned n) { return F(_mm256_sll_epi32(I(a), _mm_cvtsi32_si128((int)(n & 31)))); }
SHIM v128_t wasm_i32x4_shr(v128_t a, unsigned n) { return F(_mm256_sra_epi32(I(a), _mm_cvtsi32_si128((int)(n & 31)))); }
#else
#include <smmintrin.h>

typedef __m128 v128_t;

#define SHIM static inline __attribute__((always_inline))
#define I(v) _mm_castps_si128(v)
#define F(v) _mm_castsi128_ps(v)

SHIM v128_t wasm_v128_load(const void *p) { return _mm_loadu_ps((const float *)p); }
SHIM void wasm_v128_store(void *p, v128_t v) { _mm_storeu_ps((float *)p, v); }
SHIM v128_t wasm_f32x4_splat(float x) { return _mm_set1_ps(x); }
SHIM v128_t wasm_i32x4_splat(int x) { return F(_mm_set1_epi32(x)); }
SHIM v128_t wasm_f32x4_add(v128_t a, v128_t b) { return _mm_add_ps(a, b); }
SHIM v128_t wasm_f32x4_sub(v128_t a, v128_t b) { return _mm_sub_ps(a, b); }
SHIM v128_t wasm_f32x4_mul(v128_t a, v128_t b) { return _mm_mul_ps(a, b); }
SHIM v128_t wasm_f32x4_div(v128_t a, v128_t b) { return _mm_div_ps(a, b); }
SHIM v128_t wasm_f32x4_sqrt(v128_t a) { return _mm_sqrt_ps(a); }
SHIM v128_t wasm_f32x4_neg(v128_t a) { return _mm_xor_ps(a, _mm_set1_ps(-0.0f)); }
SHIM v128_t wasm_f32x4_abs(v128_t a) { return _mm_andnot_ps(_mm_set1_ps(-0.0f), a); }
SHIM v128_t wasm_f32x4_gt(v128_t a, v128_t b) { return _mm_cmpgt_ps(a, b); }
SHIM v128_t wasm_f32x4_lt(v128_t a, v128_t b) { return _mm_cmplt_ps(a, b); }
// ne is true for NaN lanes, as cmpneq (unordered or not equal).
SHIM v128_t wasm_f32x4_ne(v128_t a, v128_t b) { return _mm_cmpneq_ps(a, b); }
// pmin/pmax: b < a ? b : a and a < b ? b : a (minps/maxps return their second operand otherwise).
SHIM v128_t wasm_f32x4_pmin(v128_t a, v128_t b) { return _mm_min_ps(b, a); }
SHIM v128_t wasm_f32x4_pmax(v128_t a, v128_t b) { return _mm_max_ps(b, a); }
// min/max: NaN if either lane is NaN, and -0 < +0 (IEEE 754-2019 minimum/maximum).
SHIM v128_t wasm_f32x4_min(v128_t a, v128_t b) {
  v128_t r = _mm_min_ps(a, b), eq = _mm_cmpeq_ps(a, b), nan = _mm_cmpunord_ps(a, b);
  r = _mm_blendv_ps(r, _mm_or_ps(a, b), eq);
  return _mm_blendv_ps(r, _mm_add_ps(a, b), nan);
}
SHIM v128_t wasm_f32x4_max(v128_t a, v128_t b) {
  v128_t r = _mm_max_ps(a, b), eq = _mm_cmpeq_ps(a, b), nan = _mm_cmpunord_ps(a, b);
  r = _mm_blendv_ps(r, _mm_and_ps(a, b), eq);
  return _mm_blendv_ps(r, _mm_add_ps(a, b), nan);
}
SHIM v128_t wasm_v128_and(v128_t a, v128_t b) { return _mm_and_ps(a, b); }
SHIM v128_t wasm_v128_or(v128_t a, v128_t b) { return _mm_or_ps(a, b); }
// andnot(a, b) = a & ~b (x86's andnot complements its first operand).
SHIM v128_t wasm_v128_andnot(v128_t a, v128_t b) { return _mm_andnot_ps(b, a); }
// bitselect(a, b, m) = (a & m) | (b & ~m).
SHIM v128_t wasm_v128_bitselect(v128_t a, v128_t b, v128_t m) { return _mm_or_ps(_mm_and_ps(m, a), _mm_andnot_ps(m, b)); }
SHIM v128_t wasm_i32x4_add(v128_t a, v128_t b) { return F(_mm_add_epi32(I(a), I(b))); }
SHIM v128_t wasm_i32x4_sub(v128_t a, v128_t b) { return F(_mm_sub_epi32(I(a), I(b))); }
// Shift counts are taken modulo 32, as in WebAssembly.
SHIM v128_t wasm_i32x4_shl(v128_t a, unsigned n) { return F(_mm_sll_epi32(I(a), _mm_cvtsi32_si128((int)(n & 31)))); }
SHIM v128_t wasm_i32x4_shr(v128_t a, unsigned n) { return F(_mm_sra_epi32(I(a), _mm_cvtsi32_si128((int)(n & 31)))); }

#endif
#undef I
#undef F
#undef SHIM
#endif
