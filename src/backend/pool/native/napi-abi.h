// The few Node-API declarations the native kernels use, written out from the stable C ABI
// (https://nodejs.org/api/n-api.html) so that the build needs a C compiler and nothing else:
// no node-gyp, no Node headers. Node resolves these symbols when it loads the module.
#ifndef GRADNOTE_NAPI_ABI_H
#define GRADNOTE_NAPI_ABI_H
#include <stddef.h>
#include <stdint.h>

typedef struct napi_env__ *napi_env;
typedef struct napi_value__ *napi_value;
typedef struct napi_callback_info__ *napi_callback_info;
typedef int napi_status; // napi_ok is 0
typedef napi_value (*napi_callback)(napi_env env, napi_callback_info info);
typedef enum {
  napi_undefined, napi_null, napi_boolean, napi_number, napi_string, napi_symbol, napi_object,
  napi_function, napi_external, napi_bigint
} napi_valuetype;
typedef enum {
  napi_int8_array, napi_uint8_array, napi_uint8_clamped_array, napi_int16_array, napi_uint16_array,
  napi_int32_array, napi_uint32_array, napi_float32_array, napi_float64_array, napi_bigint64_array,
  napi_biguint64_array
} napi_typedarray_type;

napi_status napi_get_cb_info(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv,
                             napi_value *this_arg, void **data);
napi_status napi_typeof(napi_env env, napi_value value, napi_valuetype *result);
napi_status napi_is_typedarray(napi_env env, napi_value value, _Bool *result);
napi_status napi_get_typedarray_info(napi_env env, napi_value typedarray, napi_typedarray_type *type,
                                     size_t *length, void **data, napi_value *arraybuffer,
                                     size_t *byte_offset);
napi_status napi_get_value_double(napi_env env, napi_value value, double *result);
napi_status napi_create_function(napi_env env, const char *name, size_t length, napi_callback cb,
                                 void *data, napi_value *result);
napi_status napi_create_string_utf8(napi_env env, const char *str, size_t length, napi_value *result);
napi_status napi_create_double(napi_env env, double value, napi_value *result);
napi_status napi_create_int32(napi_env env, int32_t value, napi_value *result);
napi_status napi_set_named_property(napi_env env, napi_value object, const char *name, napi_value value);
napi_status napi_throw_type_error(napi_env env, const char *code, const char *msg);
napi_status napi_throw_range_error(napi_env env, const char *code, const char *msg);
napi_status napi_throw_error(napi_env env, const char *code, const char *msg);

#define NAPI_AUTO_LENGTH ((size_t)-1)
#endif
