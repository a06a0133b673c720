// Entry points of a wide build of ../wasm/fused.c, included by fused8.c and fused16.c right after
// that file, with WIDE(name) naming them for the width (gn_adam8, gn_lstm_fwd16, ...). The cells
// run columns [j0, j1) of each row; fused.c picks the widths and runs what is left.
void WIDE(gn_adam)(float *p, const float *g, float *m, float *v, int n, float b1, float b2, float stepSize, float bc2Sqrt,
                   float eps, float decay, float l2, float sign) {
  adam_f32(p, g, m, v, n, b1, b2, stepSize, bc2Sqrt, eps, decay, l2, sign);
}

void WIDE(gn_lstm_fwd)(int B, int H, int j0, int j1, const float *gx, const float *gh, const float *c, float *hc,
                       float *ws) {
  lstm_fwd_cols(B, H, j0, j1, gx, gh, c, hc, ws);
}

void WIDE(gn_lstm_bwd)(int B, int H, int j0, int j1, const float *gx, const float *gh, const float *c, const float *ws,
                       const float *ghc, float *dgates, float *dc) {
  lstm_bwd_cols(B, H, j0, j1, gx, gh, c, ws, ghc, dgates, dc);
}

void WIDE(gn_gru_fwd)(int B, int H, int j0, int j1, const float *gi, const float *gh, const float *h, float *out) {
  gru_fwd_cols(B, H, j0, j1, gi, gh, h, out);
}

void WIDE(gn_gru_bwd)(int B, int H, int j0, int j1, const float *gi, const float *gh, const float *h, const float *grad,
                      float *dgi, float *dgh, float *dh) {
  gru_bwd_cols(B, H, j0, j1, gi, gh, h, grad, dgi, dgh, dh);
}
