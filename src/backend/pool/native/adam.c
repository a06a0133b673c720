// Adam / AdamW step of the native addon: the operation order of adam_f32 in ../wasm/fused.c
// (separate multiplies and adds, built with -ffp-contract=off), so both paths give the same floats.
#include <immintrin.h>
#include "kernels.h"

__attribute__((target("avx2,fma"))) void gn_adam(float *p, const float *g, float *m, float *v, long n, float b1,
                                                 float b2, float stepSize, float bc2Sqrt, float eps, float decay,
                                                 float l2, float sign) {
  long i = 0;
  __m256 vb1 = _mm256_set1_ps(b1), vb2 = _mm256_set1_ps(b2), c1 = _mm256_set1_ps(1 - b1), c2 = _mm256_set1_ps(1 - b2),
         vs = _mm256_set1_ps(stepSize), vbc = _mm256_set1_ps(bc2Sqrt), ve = _mm256_set1_ps(eps),
         vd = _mm256_set1_ps(decay), vl2 = _mm256_set1_ps(l2), vsg = _mm256_set1_ps(sign);
  for (; i + 8 <= n; i += 8) {
    __m256 pi = _mm256_mul_ps(_mm256_loadu_ps(p + i), vd);
    __m256 gi = _mm256_add_ps(_mm256_mul_ps(vsg, _mm256_loadu_ps(g + i)), _mm256_mul_ps(vl2, pi));
    __m256 mi = _mm256_add_ps(_mm256_mul_ps(vb1, _mm256_loadu_ps(m + i)), _mm256_mul_ps(c1, gi));
    __m256 vi = _mm256_add_ps(_mm256_mul_ps(vb2, _mm256_loadu_ps(v + i)), _mm256_mul_ps(c2, _mm256_mul_ps(gi, gi)));
    _mm256_storeu_ps(m + i, mi);
    _mm256_storeu_ps(v + i, vi);
    __m256 den = _mm256_add_ps(_mm256_div_ps(_mm256_sqrt_ps(vi), vbc), ve);
    _mm256_storeu_ps(p + i, _mm256_sub_ps(pi, _mm256_div_ps(_mm256_mul_ps(vs, mi), den)));
  }
  for (; i < n; i++) {
    float pi = p[i] * decay;
    float gi = sign * g[i] + l2 * pi;
    float mi = m[i] = b1 * m[i] + (1 - b1) * gi;
    float vi = v[i] = b2 * v[i] + (1 - b2) * gi * gi;
    p[i] = pi - stepSize * mi / (__builtin_sqrtf(vi) / bc2Sqrt + eps);
  }
}
