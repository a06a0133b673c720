// Kernels of the native addon (sgemm.c, adam.c), called by binding.c.
#ifndef GRADNOTE_NATIVE_KERNELS_H
#define GRADNOTE_NATIVE_KERNELS_H
// C[m x n] (row stride ldc) = A[m x k] (strides rsa, csa) x B[k x n] (strides rsb, csb), plus C's
// previous contents when `accumulate` is set. Returns -1 when its packing buffers cannot be had.
int gn_sgemm(int m, int n, int k, const float *A, long rsa, long csa, const float *B, long rsb, long csb, float *C,
             long ldc, int accumulate);
// Adam / AdamW over n elements, in place on p, m, v; the same arithmetic as ../wasm/fused.c.
void gn_adam(float *p, const float *g, float *m, float *v, long n, float b1, float b2, float stepSize, float bc2Sqrt,
             float eps, float decay, float l2, float sign);
// Whether this CPU runs the kernels (AVX2 and FMA3).
int gn_cpu_ok(void);
#endif
