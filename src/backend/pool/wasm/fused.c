// Fused elementwise kernels of the pool backend (optimizer updates), compiled with gemm.c.
// Each runs over arrays the caller has copied into this module's memory, chunk by chunk.
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
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
  for (; i + 4 <= n; i += 4) {
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
