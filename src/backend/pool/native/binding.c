// Node-API entry of the native kernels (dist/gradnote-native.node): checks every argument
// (types, integers, and that each strided operand lies inside its array, so a wrong offset
// throws instead of reading or writing outside a tensor) and calls the kernels on the arrays'
// own memory, SharedArrayBuffers included. Loaded by ../native.ts on each thread that needs it.
#include <math.h>
#include <stdio.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include "napi-abi.h"
#include "kernels.h"

typedef struct {
  float *data;
  long long length;
} F32;

static int fail(napi_env env, int range, const char *fn, const char *what) {
  char msg[200];
  snprintf(msg, sizeof msg, "gradnote native %s: %s", fn, what);
  if (range) napi_throw_range_error(env, NULL, msg);
  else napi_throw_type_error(env, NULL, msg);
  return 0;
}

// Whether v is a typed array; its element type, length and data pointer when it is.
static int typedArray(napi_env env, napi_value v, napi_typedarray_type *type, size_t *length, void **data) {
  _Bool is = 0;
  return napi_is_typedarray(env, v, &is) == 0 && is && napi_get_typedarray_info(env, v, type, length, data, NULL, NULL) == 0;
}

static int f32arg(napi_env env, napi_value v, const char *fn, const char *name, F32 *out) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  char what[80];
  if (!typedArray(env, v, &type, &length, &data) || type != napi_float32_array) {
    snprintf(what, sizeof what, "%s must be a Float32Array", name);
    return fail(env, 0, fn, what);
  }
  out->data = data;
  out->length = (long long)length;
  return 1;
}

static int intarg(napi_env env, napi_value v, const char *fn, const char *name, long long *out) {
  double d;
  char what[80];
  if (napi_get_value_double(env, v, &d) != 0 || !(d == floor(d)) || fabs(d) > 9e15) {
    snprintf(what, sizeof what, "%s must be an integer", name);
    return fail(env, 0, fn, what);
  }
  *out = (long long)d;
  return 1;
}

static int numarg(napi_env env, napi_value v, const char *fn, const char *name, double *out) {
  char what[80];
  if (napi_get_value_double(env, v, out) != 0) {
    snprintf(what, sizeof what, "%s must be a number", name);
    return fail(env, 0, fn, what);
  }
  return 1;
}

// Whether every element of the rows x cols matrix at `off` (strides rs, cs) lies inside `a`.
static int inside(napi_env env, const F32 *a, long long off, long long rows, long long cols, long long rs,
                  long long cs, const char *fn, const char *name) {
  if (rows == 0 || cols == 0) return 1;
  long long lo = off + (rs < 0 ? (rows - 1) * rs : 0) + (cs < 0 ? (cols - 1) * cs : 0);
  long long hi = off + (rs > 0 ? (rows - 1) * rs : 0) + (cs > 0 ? (cols - 1) * cs : 0);
  if (lo >= 0 && hi < a->length) return 1;
  char what[160];
  snprintf(what, sizeof what, "%s spans elements [%lld, %lld] of an array of %lld", name, lo, hi, a->length);
  return fail(env, 1, fn, what);
}

#define ARGS(N)                                                                        \
  size_t argc = N;                                                                     \
  napi_value argv[N];                                                                  \
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != 0 || argc < N) {         \
    fail(env, 0, FN, "expected " #N " arguments");                                     \
    return NULL;                                                                       \
  }

// sgemm(C, cOff, ldc, A, aOff, rsa, csa, B, bOff, rsb, csb, m, k, n, bias | null, biasOff, accumulate):
// C[cOff…] (row stride ldc) = A·B (+ bias on every row) (+ C when accumulate is nonzero).
#define FN "sgemm"
static napi_value sgemm(napi_env env, napi_callback_info info) {
  ARGS(17)
  F32 C, A, B, bias = {0, 0};
  long long cOff = 0, ldc = 0, aOff = 0, rsa = 0, csa = 0, bOff = 0, rsb = 0, csb = 0, m = 0, k = 0, n = 0, biasOff = 0, acc = 0;
  if (!f32arg(env, argv[0], FN, "C", &C) || !intarg(env, argv[1], FN, "cOff", &cOff) || !intarg(env, argv[2], FN, "ldc", &ldc) ||
      !f32arg(env, argv[3], FN, "A", &A) || !intarg(env, argv[4], FN, "aOff", &aOff) || !intarg(env, argv[5], FN, "rsa", &rsa) ||
      !intarg(env, argv[6], FN, "csa", &csa) || !f32arg(env, argv[7], FN, "B", &B) || !intarg(env, argv[8], FN, "bOff", &bOff) ||
      !intarg(env, argv[9], FN, "rsb", &rsb) || !intarg(env, argv[10], FN, "csb", &csb) || !intarg(env, argv[11], FN, "m", &m) ||
      !intarg(env, argv[12], FN, "k", &k) || !intarg(env, argv[13], FN, "n", &n) || !intarg(env, argv[15], FN, "biasOff", &biasOff) ||
      !intarg(env, argv[16], FN, "accumulate", &acc))
    return NULL;
  napi_valuetype bt;
  if (napi_typeof(env, argv[14], &bt) != 0) return NULL;
  int hasBias = bt != napi_null && bt != napi_undefined;
  if (hasBias && !f32arg(env, argv[14], FN, "bias", &bias)) return NULL;
  if (m < 0 || n < 0 || k < 0 || m > 0x7fffffff || n > 0x7fffffff || k > 0x7fffffff) {
    fail(env, 1, FN, "m, k and n must be sizes (0 to 2^31-1)");
    return NULL;
  }
  if (ldc < n) {
    fail(env, 1, FN, "ldc must be at least n");
    return NULL;
  }
  if (!inside(env, &C, cOff, m, n, ldc, 1, FN, "C") || !inside(env, &A, aOff, m, k, rsa, csa, FN, "A") ||
      !inside(env, &B, bOff, k, n, rsb, csb, FN, "B") || (hasBias && !inside(env, &bias, biasOff, 1, n, 0, 1, FN, "bias")))
    return NULL;
  float *c = C.data + cOff;
  if (gn_sgemm((int)m, (int)n, (int)k, A.data + aOff, (long)rsa, (long)csa, B.data + bOff, (long)rsb, (long)csb, c,
               (long)ldc, acc != 0, hasBias ? bias.data + biasOff : NULL) != 0)
    napi_throw_error(env, NULL, "gradnote native sgemm: out of memory for packing buffers");
  return NULL;
}
#undef FN

// adam(p, g, m, v, b1, b2, stepSize, bc2Sqrt, eps, decay, l2, sign): one Adam step in place on p, m, v.
#define FN "adam"
static napi_value adam(napi_env env, napi_callback_info info) {
  ARGS(12)
  F32 p, g, m, v;
  double h[8];
  static const char *names[8] = {"b1", "b2", "stepSize", "bc2Sqrt", "eps", "decay", "l2", "sign"};
  if (!f32arg(env, argv[0], FN, "p", &p) || !f32arg(env, argv[1], FN, "g", &g) || !f32arg(env, argv[2], FN, "m", &m) ||
      !f32arg(env, argv[3], FN, "v", &v))
    return NULL;
  for (int i = 0; i < 8; i++)
    if (!numarg(env, argv[4 + i], FN, names[i], &h[i])) return NULL;
  if (g.length != p.length || m.length != p.length || v.length != p.length) {
    fail(env, 1, FN, "p, g, m and v must have the same length");
    return NULL;
  }
  gn_adam(p.data, g.data, m.data, v.data, (long)p.length, (float)h[0], (float)h[1], (float)h[2], (float)h[3], (float)h[4],
          (float)h[5], (float)h[6], (float)h[7]);
  return NULL;
}
#undef FN

// address(array): the byte address of a typed array's first element, for descriptors that pool
// workers run through runPart. The caller keeps the array alive until those parts finish.
#define FN "address"
static napi_value address(napi_env env, napi_callback_info info) {
  ARGS(1)
  void *data;
  size_t length;
  napi_typedarray_type type;
  napi_value out;
  if (!typedArray(env, argv[0], &type, &length, &data)) {
    fail(env, 0, FN, "array must be a typed array");
    return NULL;
  }
  napi_create_double(env, (double)(uintptr_t)data, &out);
  return out;
}
#undef FN

// runPart(descriptors, slot): runs the part described by descriptors[slot * SLOT …] (a
// Float64Array over shared memory, written by ../native.ts after it checked every extent):
//   kind 1, sgemm over nb batches: c, ldc, a, rsa, csa, b, rsb, csb, m, k, n, bias, acc, nb, sa, sb, sc
//   kind 2, adam: p, g, m, v, n, b1, b2, stepSize, bc2Sqrt, eps, decay, l2, sign
//   kind 3, conv2d forward: geo (14 numbers), n, x, wt, bias, y
//   kind 4, conv2d backward: geo (14 numbers), n, x, wt, gy, gw, gb, gx
//   kind 5, elementwise: kind (0 ew, 1 cmp, 2 mask), op, rows, n, o, os, a, sa, as, b, sb, bs
//   kind 6, max pooling: planes, x, out, idx, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow
//   kind 7, max pooling backward: planes, hw, per, g, idx, out
//   kinds 8-13, LSTM forward / backward, GRU forward / backward, LSTM forward keeping its
//   activations / backward from them: B, H, then the arrays of gn_lstm_fwd, gn_lstm_bwd,
//   gn_gru_fwd, gn_gru_bwd, gn_lstm_fwd_ws, gn_lstm_bwd_ws in order
// Addresses are bytes; strides and sizes count floats.
#define SLOT 24
#define FN "runPart"
static napi_value runPart(napi_env env, napi_callback_info info) {
  ARGS(2)
  void *data;
  size_t length;
  napi_typedarray_type type;
  long long slot;
  if (!typedArray(env, argv[0], &type, &length, &data) || type != napi_float64_array) {
    fail(env, 0, FN, "descriptors must be a Float64Array");
    return NULL;
  }
  if (!intarg(env, argv[1], FN, "slot", &slot)) return NULL;
  if (slot < 0 || (unsigned long long)(slot + 1) * SLOT > length) {
    fail(env, 1, FN, "slot is past the descriptors");
    return NULL;
  }
  const double *d = (const double *)data + slot * SLOT;
#define P(i) ((float *)(uintptr_t)d[i])
#define L(i) ((long)d[i])
  if (d[0] == 1) {
    long nb = L(14), sa = L(15), sb = L(16), sc = L(17), ldc = L(2), m = L(9), n = L(11);
    for (long t = 0; t < nb; t++) {
      float *c = P(1) + t * sc;
      if (gn_sgemm((int)m, (int)n, (int)L(10), P(3) + t * sa, L(4), L(5), P(6) + t * sb, L(7), L(8), c, ldc, d[13] != 0,
                   d[12] != 0 ? P(12) : NULL) != 0) {
        napi_throw_error(env, NULL, "gradnote native sgemm: out of memory for packing buffers");
        return NULL;
      }
    }
  } else if (d[0] == 2) {
    gn_adam(P(1), P(2), P(3), P(4), L(5), (float)d[6], (float)d[7], (float)d[8], (float)d[9], (float)d[10], (float)d[11],
            (float)d[12], (float)d[13]);
  } else if (d[0] == 3 || d[0] == 4) {
    // kind 3, conv forward: geo[14], n, x, wt, bias, y; kind 4, backward: geo[14], n, x, wt, gy, gw, gb, gx
    int geo[16] = {0};
    for (int i = 0; i < 14; i++) geo[i] = (int)d[1 + i];
    int r = d[0] == 3 ? gn_conv_fwd(geo, (int)d[15], P(16), P(17), P(18), P(19))
                      : gn_conv_bwd(geo, (int)d[15], P(16), P(17), P(18), P(19), P(20), P(21));
    if (r != 0) napi_throw_error(env, NULL, "gradnote native conv2d: out of memory for scratch");
  } else if (d[0] == 5) {
    // elementwise: kind (0 ew, 1 cmp, 2 mask), op, rows, n, o, os, a, sa, as, b, sb, bs
    int k = (int)d[1], op = (int)d[2], sa = (int)d[8], sb = (int)d[11];
    long rows = L(3), n = L(4), os = L(6), as = L(9), bs = L(12);
    const float *a = (const float *)(uintptr_t)d[7];
    if (k == 0) gn_ew(op, rows, n, P(5), os, a, sa, as, (const float *)(uintptr_t)d[10], sb, bs);
    else if (k == 1) gn_cmp(op, rows, n, (unsigned char *)(uintptr_t)d[5], os, a, sa, as, (const float *)(uintptr_t)d[10], sb, bs);
    else gn_mask(rows, n, P(5), os, a, sa, as, (const unsigned char *)(uintptr_t)d[10], sb, bs);
  } else if (d[0] == 6) {
    // max pooling: P, x, out, idx, then the 12 window numbers
    int win[12];
    for (int i = 0; i < 12; i++) win[i] = (int)d[5 + i];
    gn_maxpool((int)d[1], P(2), win, P(3), (int *)(uintptr_t)d[4]);
  } else if (d[0] == 7) {
    // max pooling backward: P, hw, per, g, idx, out
    gn_maxpool_bwd((int)d[1], L(2), L(3), P(4), (const int *)(uintptr_t)d[5], P(6));
  } else if (d[0] >= 8 && d[0] <= 13) {
    // recurrent cells: B, H, then the arrays in the kernel's order
    int B = (int)d[1], H = (int)d[2];
    if (d[0] == 8) gn_lstm_fwd(B, H, P(3), P(4), P(5), P(6));
    else if (d[0] == 9) gn_lstm_bwd(B, H, P(3), P(4), P(5), P(6), P(7), P(8));
    else if (d[0] == 10) gn_gru_fwd(B, H, P(3), P(4), P(5), P(6));
    else if (d[0] == 11) gn_gru_bwd(B, H, P(3), P(4), P(5), P(6), P(7), P(8), P(9));
    else if (d[0] == 12) gn_lstm_fwd_ws(B, H, P(3), P(4), P(5), P(6), P(7));
    else gn_lstm_bwd_ws(B, H, P(3), P(4), P(5), P(6), P(7));
  } else {
    fail(env, 1, FN, "unknown part kind");
  }
#undef P
#undef L
  return NULL;
}
#undef FN

// mallocTrim(): returns the C heap's free pages to the system (glibc's malloc_trim over every
// thread's arena); 1 when some memory was released, 0 when none, -1 without glibc. The kernel
// calls it between cells: freed parser, compiler and language-service memory otherwise stays
// resident in the arenas of the threads that used it.
static napi_value mallocTrim(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
#ifdef __GLIBC__
  napi_create_int32(env, malloc_trim(0), &out);
#else
  napi_create_int32(env, -1, &out);
#endif
  return out;
}

// colsum(out, x, xOff, rows, cols, rs): out[j] = sum of x[xOff + r * rs + j] over r < rows, for j < cols.
#define FN "colsum"
static napi_value colsum(napi_env env, napi_callback_info info) {
  ARGS(6)
  F32 o, x;
  long long off = 0, rows = 0, cols = 0, rs = 0;
  if (!f32arg(env, argv[0], FN, "out", &o) || !f32arg(env, argv[1], FN, "x", &x) || !intarg(env, argv[2], FN, "xOff", &off) ||
      !intarg(env, argv[3], FN, "rows", &rows) || !intarg(env, argv[4], FN, "cols", &cols) || !intarg(env, argv[5], FN, "rs", &rs))
    return NULL;
  if (rows < 0 || cols < 0) {
    fail(env, 1, FN, "rows and cols must be sizes");
    return NULL;
  }
  if (!inside(env, &o, 0, 1, cols, 0, 1, FN, "out") || !inside(env, &x, off, rows, cols, rs, 1, FN, "x")) return NULL;
  gn_colsum(o.data, x.data + off, (long)rows, (long)cols, (long)rs);
  return NULL;
}
#undef FN

// isa(allow512): lets sgemm use AVX-512 when allow512 is 1 and the CPU has it; returns "avx512" or "avx2".
#define FN "isa"
static napi_value isa(napi_env env, napi_callback_info info) {
  ARGS(1)
  double allow = 0;
  if (napi_get_value_double(env, argv[0], &allow) != 0) {
    fail(env, 0, FN, "allow512 must be a number (1 or 0)");
    return NULL;
  }
  napi_value out;
  napi_create_string_utf8(env, gn_use_avx512(allow == 1) ? "avx512" : "avx2", NAPI_AUTO_LENGTH, &out);
  return out;
}
#undef FN

// quickExit(code): ends the process at once with `code` (_exit: no teardown of Node's threads;
// the kernel's process.exit() uses it once its protocol thread has closed every socket).
#define FN "quickExit"
static napi_value quickExit(napi_env env, napi_callback_info info) {
  ARGS(1)
  double code = 1;
  if (napi_get_value_double(env, argv[0], &code) != 0) code = 1;
  _exit((int)code & 0xff);
  return NULL;
}
#undef FN

static void method(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  if (napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn) == 0) napi_set_named_property(env, exports, name, fn);
}

__attribute__((visibility("default"))) napi_value napi_register_module_v1(napi_env env, napi_value exports) {
  napi_value v;
  // abi: bumped with ../native.ts whenever a signature changes; cpu: 1 when this CPU runs the kernels.
  if (napi_create_int32(env, 4, &v) == 0) napi_set_named_property(env, exports, "abi", v);
  if (napi_create_int32(env, gn_cpu_ok(), &v) == 0) napi_set_named_property(env, exports, "cpu", v);
  method(env, exports, "sgemm", sgemm);
  method(env, exports, "adam", adam);
  method(env, exports, "address", address);
  method(env, exports, "runPart", runPart);
  method(env, exports, "mallocTrim", mallocTrim);
  method(env, exports, "isa", isa);
  method(env, exports, "colsum", colsum);
  method(env, exports, "quickExit", quickExit);
  return exports;
}

__attribute__((visibility("default"))) int32_t node_api_module_get_api_version_v1(void) { return 8; }
