/*
 * beckon_capture.node: the memory side of MIT-SHM screen capture, and the
 * I420 converter, for src/native/addon.ts. The X11 protocol (ShmAttach,
 * ShmGetImage) stays in TypeScript; this file only creates, detaches and
 * reads SysV shared memory segments and converts pixels.
 *
 * A segment reaches JavaScript as an opaque, type-tagged external: its memory
 * is never exposed as an ArrayBuffer (Electron forbids external ArrayBuffers),
 * so it is read by copying into a caller's Uint8Array or by converting from it.
 * Every argument is checked here, because a wrong length would otherwise read
 * or write past a buffer: bad calls throw, they never crash the process.
 *
 * Built by scripts/lib/setup.sh (setup_native) without node-gyp:
 *   cc -O3 -shared -fPIC -I"$npm_config_nodedir/include/node" addon.c i420.c
 * Node-API symbols resolve against the running node (or Electron) at load time.
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include "i420.h"

/* Large enough for an 8K screen at 4 bytes a pixel, small enough to refuse nonsense. */
#define MAX_SEGMENT ((size_t)1 << 30)
/* Number.MAX_SAFE_INTEGER: every whole number up to it is exact in a double. */
#define MAX_SAFE_INTEGER 9007199254740991.0

typedef struct {
  int id;
  uint8_t *addr; /* NULL once detached */
  size_t size;
  int removed; /* IPC_RMID done: the kernel frees it once the last process detaches */
} Segment;

static const napi_type_tag SEGMENT_TAG = {0x6265636b6f6e2d73ULL, 0x686d2d7365676d31ULL};

#define CHECK(call)                                                                                        \
  do {                                                                                                     \
    if ((call) != napi_ok) return NULL;                                                                    \
  } while (0)

static napi_value throw_errno(napi_env env, const char *what) {
  char msg[160];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(errno));
  napi_throw_error(env, NULL, msg);
  return NULL;
}

static void release(Segment *s) {
  if (!s->removed) {
    shmctl(s->id, IPC_RMID, NULL);
    s->removed = 1;
  }
  if (s->addr) {
    shmdt(s->addr);
    s->addr = NULL;
  }
}

static void finalize_segment(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  release((Segment *)data);
  free(data);
}

/* Reads `argc` arguments; throws when fewer were passed. */
static int get_args(napi_env env, napi_callback_info info, size_t argc, napi_value *argv) {
  size_t got = argc;
  if (napi_get_cb_info(env, info, &got, argv, NULL, NULL) != napi_ok) return 0;
  if (got < argc) {
    napi_throw_type_error(env, NULL, "missing arguments");
    return 0;
  }
  return 1;
}

/* A whole number in [min, max]; throws otherwise. */
static int get_size(napi_env env, napi_value v, double min, double max, const char *name, size_t *out) {
  double d;
  char msg[120];
  if (napi_get_value_double(env, v, &d) != napi_ok) {
    snprintf(msg, sizeof msg, "%s must be a number", name);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  if (!(d >= min && d <= max) || d != (double)(int64_t)d) {
    snprintf(msg, sizeof msg, "%s must be a whole number from %.0f to %.0f", name, min, max);
    napi_throw_range_error(env, NULL, msg);
    return 0;
  }
  *out = (size_t)d;
  return 1;
}

/* A live (attached) segment of ours; throws for anything else. */
static Segment *get_segment(napi_env env, napi_value v) {
  napi_valuetype type;
  bool tagged = false;
  void *data = NULL;
  if (napi_typeof(env, v, &type) != napi_ok) return NULL;
  if (type != napi_external || napi_check_object_type_tag(env, v, &SEGMENT_TAG, &tagged) != napi_ok ||
      !tagged || napi_get_value_external(env, v, &data) != napi_ok) {
    napi_throw_type_error(env, NULL, "not a shared memory segment");
    return NULL;
  }
  Segment *s = data;
  if (!s->addr) {
    napi_throw_error(env, NULL, "the shared memory segment is detached");
    return NULL;
  }
  return s;
}

/* The bytes of a Uint8Array (or Buffer); throws for anything else. */
static int get_bytes(napi_env env, napi_value v, const char *name, uint8_t **data, size_t *length) {
  bool is_typed = false;
  napi_typedarray_type type;
  char msg[120];
  void *p = NULL;
  if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, v, &type, length, &p, NULL, NULL) != napi_ok ||
      (type != napi_uint8_array && type != napi_uint8_clamped_array)) {
    snprintf(msg, sizeof msg, "%s must be a Uint8Array", name);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  *data = p;
  return 1;
}

/* create(size) -> segment: a private segment (mode 0600) attached read-write here. */
static napi_value create(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  size_t size;
  if (!get_args(env, info, 1, argv) || !get_size(env, argv[0], 1, (double)MAX_SEGMENT, "size", &size))
    return NULL;
  int id = shmget(IPC_PRIVATE, size, IPC_CREAT | IPC_EXCL | 0600);
  if (id < 0) return throw_errno(env, "shmget");
  void *addr = shmat(id, NULL, 0);
  if (addr == (void *)-1) {
    int saved = errno;
    shmctl(id, IPC_RMID, NULL);
    errno = saved;
    return throw_errno(env, "shmat");
  }
  Segment *s = malloc(sizeof *s);
  if (!s) {
    shmdt(addr);
    shmctl(id, IPC_RMID, NULL);
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  *s = (Segment){.id = id, .addr = addr, .size = size, .removed = 0};
  if (napi_create_external(env, s, finalize_segment, NULL, &result) != napi_ok) {
    release(s);
    free(s);
    return NULL;
  }
  CHECK(napi_type_tag_object(env, result, &SEGMENT_TAG));
  return result;
}

/* id(segment) -> the shmid to hand to the X server. */
static napi_value id(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  if (!get_args(env, info, 1, argv)) return NULL;
  Segment *s = get_segment(env, argv[0]);
  if (!s) return NULL;
  CHECK(napi_create_int32(env, s->id, &result));
  return result;
}

/* remove(segment): IPC_RMID, once the X server has attached; the memory stays until both detach. */
static napi_value remove_segment(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  Segment *s = get_segment(env, argv[0]);
  if (!s) return NULL;
  if (!s->removed) {
    if (shmctl(s->id, IPC_RMID, NULL) != 0) return throw_errno(env, "shmctl(IPC_RMID)");
    s->removed = 1;
  }
  return NULL;
}

/* detach(segment): removes (if not yet) and detaches it here. Detaching twice is a no-op. */
static napi_value detach(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  napi_valuetype type;
  bool tagged = false;
  void *data = NULL;
  if (!get_args(env, info, 1, argv)) return NULL;
  CHECK(napi_typeof(env, argv[0], &type));
  if (type != napi_external || napi_check_object_type_tag(env, argv[0], &SEGMENT_TAG, &tagged) != napi_ok ||
      !tagged || napi_get_value_external(env, argv[0], &data) != napi_ok) {
    napi_throw_type_error(env, NULL, "not a shared memory segment");
    return NULL;
  }
  release((Segment *)data);
  return NULL;
}

/* Checks that [offset, offset + length) lies inside the segment. */
static int in_segment(napi_env env, const Segment *s, size_t offset, size_t length) {
  if (offset > s->size || length > s->size - offset) {
    napi_throw_range_error(env, NULL, "range outside the shared memory segment");
    return 0;
  }
  return 1;
}

/* read(segment, offset, dst): copies dst.length bytes from the segment at offset into dst. */
static napi_value read_segment(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  size_t offset, length;
  uint8_t *dst;
  if (!get_args(env, info, 3, argv)) return NULL;
  Segment *s = get_segment(env, argv[0]);
  if (!s || !get_size(env, argv[1], 0, (double)MAX_SEGMENT, "offset", &offset) ||
      !get_bytes(env, argv[2], "dst", &dst, &length) || !in_segment(env, s, offset, length))
    return NULL;
  if (length) memcpy(dst, s->addr + offset, length);
  return NULL;
}

/* write(segment, offset, src): copies src into the segment at offset. */
static napi_value write_segment(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  size_t offset, length;
  uint8_t *src;
  if (!get_args(env, info, 3, argv)) return NULL;
  Segment *s = get_segment(env, argv[0]);
  if (!s || !get_size(env, argv[1], 0, (double)MAX_SEGMENT, "offset", &offset) ||
      !get_bytes(env, argv[2], "src", &src, &length) || !in_segment(env, s, offset, length))
    return NULL;
  if (length) memcpy(s->addr + offset, src, length);
  return NULL;
}

/*
 * toI420(src, offset, width, height, stride, bgra, dst): src is a segment or
 * a Uint8Array, read from `offset`; dst a Uint8Array of at least the I420 size
 * of the even part of width x height. Returns nothing: dst holds the frame.
 */
static napi_value to_i420(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  napi_valuetype type;
  size_t offset, width, height, stride, src_length, dst_length;
  uint8_t *src, *dst;
  bool bgra;
  if (!get_args(env, info, 7, argv)) return NULL;
  CHECK(napi_typeof(env, argv[0], &type));
  if (type == napi_external) {
    Segment *s = get_segment(env, argv[0]);
    if (!s) return NULL;
    src = s->addr;
    src_length = s->size;
  } else if (!get_bytes(env, argv[0], "src", &src, &src_length)) {
    return NULL;
  }
  if (!get_size(env, argv[1], 0, MAX_SAFE_INTEGER, "offset", &offset) ||
      !get_size(env, argv[2], 0, 65535, "width", &width) || !get_size(env, argv[3], 0, 65535, "height", &height) ||
      !get_size(env, argv[4], 0, (double)(1 << 30), "stride", &stride))
    return NULL;
  if (napi_get_value_bool(env, argv[5], &bgra) != napi_ok) {
    napi_throw_type_error(env, NULL, "bgra must be a boolean");
    return NULL;
  }
  if (!get_bytes(env, argv[6], "dst", &dst, &dst_length)) return NULL;
  if (stride < width * 4) {
    napi_throw_range_error(env, NULL, "stride is smaller than width * 4");
    return NULL;
  }
  const uint64_t w = width & ~(size_t)1, h = height & ~(size_t)1;
  /* The last row read is h - 1 and only its first w pixels: a source may end there. */
  const uint64_t need_src = h == 0 ? 0 : (h - 1) * stride + w * 4;
  const uint64_t need_dst = w * h + 2 * (w / 2) * (h / 2);
  if (offset > src_length || need_src > (uint64_t)(src_length - offset)) {
    napi_throw_range_error(env, NULL, "src is too short for width, height and stride");
    return NULL;
  }
  if (dst_length < need_dst) {
    napi_throw_range_error(env, NULL, "dst is too short for the I420 frame");
    return NULL;
  }
  if (w && h) beckon_to_i420(src + offset, stride, (int)w, (int)h, bgra, dst);
  return NULL;
}

NAPI_MODULE_INIT() {
  const napi_property_descriptor fns[] = {
      {"create", NULL, create, NULL, NULL, NULL, napi_enumerable, NULL},
      {"id", NULL, id, NULL, NULL, NULL, napi_enumerable, NULL},
      {"remove", NULL, remove_segment, NULL, NULL, NULL, napi_enumerable, NULL},
      {"detach", NULL, detach, NULL, NULL, NULL, napi_enumerable, NULL},
      {"read", NULL, read_segment, NULL, NULL, NULL, napi_enumerable, NULL},
      {"write", NULL, write_segment, NULL, NULL, NULL, napi_enumerable, NULL},
      {"toI420", NULL, to_i420, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns) != napi_ok) return NULL;
  return exports;
}
