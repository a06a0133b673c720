// Kernels of the native addon (sgemm.c, and the WASM sources compiled natively by conv.c, ew.c and
// fused.c), called by binding.c.
#ifndef GRADNOTE_NATIVE_KERNELS_H
#define GRADNOTE_NATIVE_KERNELS_H
// C[m x n] (row stride ldc) = A[m x k] (strides rsa, csa) x B[k x n] (strides rsb, csb), plus C's
// previous contents when `accumulate` is set, plus bias[j] in every row when `bias` is not null
// (added to the first block's sums, as it would be to C filled with the bias). Returns -1 when
// its packing buffers cannot be had.
int gn_sgemm(int m, int n, int k, const float *A, long rsa, long csa, const float *B, long rsb, long csb, float *C,
             long ldc, int accumulate, const float *bias);
// Adam / AdamW over n elements, in place on p, m, v: ../wasm/fused.c's adam_f32.
void gn_adam(float *p, const float *g, float *m, float *v, long n, float b1, float b2, float stepSize, float bc2Sqrt,
             float eps, float decay, float l2, float sign);
// Convolution over n samples (geo: the 14 ints of ../wasm/conv.c's Geo; x [n, c, h, w] and y / gy
// [n, o, oh, ow] dense). Backward writes gx for the n samples and overwrites gw [o, c*kh*kw] and
// gb [o] with these samples' sums; null pointers skip a gradient. -1: out of memory for scratch.
int gn_conv_fwd(const int *geo, int n, const float *x, const float *wt, const float *bias, float *y);
int gn_conv_bwd(const int *geo, int n, const float *x, const float *wt, const float *gy, float *gw, float *gb, float *gx);
// Elementwise over rows x n: o[r*os + i] = op(a[r*as + i*sa], b[r*bs + i*sb]) (sa, sb: 1 dense, 0
// broadcast; opcodes of ../wasm/ew.c). gn_cmp writes 0/1 bytes, gn_mask multiplies by a byte mask.
void gn_ew(int op, long rows, long n, float *o, long os, const float *a, int sa, long as, const float *b, int sb,
           long bs);
void gn_cmp(int op, long rows, long n, unsigned char *o, long os, const float *a, int sa, long as, const float *b,
            int sb, long bs);
void gn_mask(long rows, long n, float *o, long os, const float *a, int sa, long as, const unsigned char *m, int sm,
             long ms);
// Column sums of a rows x cols matrix (row stride rs) into o[cols], accumulated in double.
void gn_colsum(float *o, const float *x, long rows, long cols, long rs);
// Max pooling of P planes (win: h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow) and its backward.
void gn_maxpool(int P, const float *x, const int *win, float *out, int *idx);
void gn_maxpool_bwd(int P, long hw, long per, const float *g, const int *idx, float *out);
// Recurrent cells over B rows (../wasm/fused.c's lstm_fwd, lstm_bwd, gru_fwd, gru_bwd); they return 0.
void gn_lstm_fwd(int B, int H, const float *gx, const float *gh, const float *c, float *hc);
void gn_lstm_bwd(int B, int H, const float *gx, const float *gh, const float *c, const float *ghc, float *dgates, float *dc);
// The LSTM cell for training: the forward also keeps ws [B, 5H] (σi, σf, tanh g, σo, tanh c'),
// from which the backward gives lstm_bwd's very floats without evaluating them again.
void gn_lstm_fwd_ws(int B, int H, const float *gx, const float *gh, const float *c, float *hc, float *ws);
void gn_lstm_bwd_ws(int B, int H, const float *c, const float *ws, const float *ghc, float *dgates, float *dc);
void gn_gru_fwd(int B, int H, const float *gi, const float *gh, const float *h, float *out);
void gn_gru_bwd(int B, int H, const float *gi, const float *gh, const float *h, const float *grad, float *dgi, float *dgh,
                float *dh);
// The 8- and 16-lane builds of ../wasm/fused.c (fused8.c, fused16.c through fused-wide.h): Adam
// over n elements; the cells over columns [j0, j1) of each row (fused.c runs the rest).
#define GN_WIDE_DECLS(W)                                                                                                  \
  void gn_adam##W(float *p, const float *g, float *m, float *v, int n, float b1, float b2, float stepSize, float bc2Sqrt, \
                  float eps, float decay, float l2, float sign);                                                         \
  void gn_lstm_fwd##W(int B, int H, int j0, int j1, const float *gx, const float *gh, const float *c, float *hc,         \
                      float *ws);                                                                                        \
  void gn_lstm_bwd##W(int B, int H, int j0, int j1, const float *gx, const float *gh, const float *c, const float *ws,   \
                      const float *ghc, float *dgates, float *dc);                                                       \
  void gn_gru_fwd##W(int B, int H, int j0, int j1, const float *gi, const float *gh, const float *h, float *out);        \
  void gn_gru_bwd##W(int B, int H, int j0, int j1, const float *gi, const float *gh, const float *h, const float *grad,  \
                     float *dgi, float *dgh, float *dh);
GN_WIDE_DECLS(8)
GN_WIDE_DECLS(16)
// Whether gn_sgemm (and so the 16-lane kernels) run on AVX-512 (see gn_use_avx512).
int gn_avx512_on(void);
// Whether this CPU runs the kernels (AVX2 and FMA3).
int gn_cpu_ok(void);
// Lets gn_sgemm (and the 16-lane cells and Adam) use AVX-512 when `allow` is set and the CPU (and
// OS) have AVX-512 F and DQ;
// returns whether it does. Off until called.
int gn_use_avx512(int allow);
#endif
