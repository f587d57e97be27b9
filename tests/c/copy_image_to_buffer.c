/* clEnqueueCopyImageToBuffer (and, as its companion, round trips through
 * clEnqueueCopyBufferToImage) through the ICD loader, against the Khronos
 * headers only. Each check quotes the sentence of
 * /work/shared/spec/clEnqueueCopyImageToBuffer.md it tests; interpretations
 * follow docs/opencl.md ("Sentences interpreted") and
 * tests/tests/cl_copy_image_to_buffer.rs.
 *
 * Data checks: every destination buffer starts as a deterministic guard
 * pattern, the whole buffer is read back after the copy and compared with
 * the guard pattern overwritten by the expected packed box, so bytes before,
 * between and after the written range are checked too.
 *
 * Calls that may end or stall the process in an implementation (a NULL
 * dst_buffer, a handle that is released or of the wrong kind, a copy behind
 * a failed event, every copy from a 1D image buffer and into a sub-buffer,
 * where PoCL 3.1 crashes) run in a child process with its own OpenCL set-up,
 * forked before the parent opens OpenCL (isolated_checks); the child sends
 * back its outcome. A child that dies or does not answer within
 * CHILD_SECONDS is a FAIL. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static cl_env env;
static int has_mipmap;
static cl_uint base_align_bytes;

/* ---------- set-up helpers ---------- */

static cl_mem mk_buffer(cl_context ctx, cl_mem_flags flags, size_t size, void *host) {
  cl_int err;
  cl_mem m = clCreateBuffer(ctx, flags, size, host, &err);
  MUST(err);
  return m;
}

static cl_image_format fmt(cl_channel_order o, cl_channel_type t) {
  cl_image_format f = {o, t};
  return f;
}

static const cl_image_format RGBA8 = {CL_RGBA, CL_UNSIGNED_INT8};

/* An image; `a` is the array size, `levels` the mip level count. */
static cl_mem mk_image_ex(cl_context ctx, cl_mem_flags flags, cl_image_format f,
                          cl_mem_object_type type, size_t w, size_t h, size_t d,
                          size_t a, cl_uint levels, cl_mem buffer, void *host,
                          cl_int *err_out) {
  cl_image_desc desc;
  memset(&desc, 0, sizeof desc);
  desc.image_type = type;
  desc.image_width = w;
  desc.image_height = h;
  desc.image_depth = d;
  desc.image_array_size = a;
  desc.num_mip_levels = levels;
  desc.buffer = buffer;
  cl_int err;
  cl_mem m = clCreateImage(ctx, flags, &f, &desc, host, &err);
  if (err_out) *err_out = err;
  else MUST(err);
  return m;
}

static cl_mem mk_image(cl_context ctx, cl_image_format f, cl_mem_object_type type,
                       size_t w, size_t h, size_t d, size_t a, cl_uint levels) {
  return mk_image_ex(ctx, 0, f, type, w, h, d, a, levels, NULL, NULL, NULL);
}

static void write_buf(cl_command_queue q, cl_mem b, size_t off, size_t n, const void *p) {
  MUST(clEnqueueWriteBuffer(q, b, CL_TRUE, off, n, p, 0, NULL, NULL));
}

static void read_buf(cl_command_queue q, cl_mem b, size_t off, size_t n, void *p) {
  MUST(clEnqueueReadBuffer(q, b, CL_TRUE, off, n, p, 0, NULL, NULL));
}

/* Packed write of a box (4-element origin: the mip level may ride in [3]). */
static void write_img(cl_command_queue q, cl_mem img, const size_t *origin,
                      const size_t *region, const void *p) {
  MUST(clEnqueueWriteImage(q, img, CL_TRUE, origin, region, 0, 0, p, 0, NULL, NULL));
}

static unsigned char *xmalloc(size_t n) {
  unsigned char *p = malloc(n ? n : 1);
  if (!p) { printf("SETUP FAILED malloc\n"); exit(2); }
  return p;
}

/* Whether `f` is listed for `type` with flags CL_MEM_READ_WRITE. */
static int format_supported(cl_image_format f, cl_mem_object_type type) {
  cl_uint n = 0;
  MUST(clGetSupportedImageFormats(env.context, CL_MEM_READ_WRITE, type, 0, NULL, &n));
  if (n == 0) return 0;
  cl_image_format *list = calloc(n, sizeof *list);
  if (!list) { printf("SETUP FAILED calloc\n"); exit(2); }
  MUST(clGetSupportedImageFormats(env.context, CL_MEM_READ_WRITE, type, n, list, NULL));
  int found = 0;
  for (cl_uint i = 0; i < n; i++)
    if (list[i].image_channel_order == f.image_channel_order &&
        list[i].image_channel_data_type == f.image_channel_data_type)
      found = 1;
  free(list);
  return found;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static cl_int event_status(cl_event e) {
  cl_int s = 0;
  MUST(clGetEventInfo(e, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof s, &s, NULL));
  return s;
}

static cl_event user_event(cl_context ctx) {
  cl_int err;
  cl_event e = clCreateUserEvent(ctx, &err);
  MUST(err);
  return e;
}

/* ---------- a host model of an image (one level) ---------- */

/* Extents in the type's coordinates (x, then y or layers, then z or
 * layers) and the packed bytes the image holds. */
typedef struct {
  cl_mem mem;
  size_t ext[3];
  size_t es;
  unsigned char *data;
  int level_at; /* origin index of the mip level (3: none among x, y, z) */
} model;

static size_t model_bytes(const model *m) { return m->ext[0] * m->ext[1] * m->ext[2] * m->es; }

/* The coordinates of an origin: the mip level element reads as 0. */
static void coords(const model *m, const size_t *origin, size_t *o) {
  for (int i = 0; i < 3; i++) o[i] = i == m->level_at ? 0 : origin[i];
}

/* Packs box (origin, r) of the model into out. */
static void model_box(const model *m, const size_t *origin, const size_t *r, unsigned char *out) {
  size_t o[3];
  coords(m, origin, o);
  size_t row = r[0] * m->es;
  for (size_t z = 0; z < r[2]; z++)
    for (size_t y = 0; y < r[1]; y++) {
      size_t src = (((o[2] + z) * m->ext[1] + (o[1] + y)) * m->ext[0] + o[0]) * m->es;
      memcpy(out + (z * r[1] + y) * row, m->data + src, row);
    }
}

/* Writes packed bytes into box (origin, r) of the model. */
static void model_put(model *m, const size_t *origin, const size_t *r, const unsigned char *in) {
  size_t o[3];
  coords(m, origin, o);
  size_t row = r[0] * m->es;
  for (size_t z = 0; z < r[2]; z++)
    for (size_t y = 0; y < r[1]; y++) {
      size_t dst = (((o[2] + z) * m->ext[1] + (o[1] + y)) * m->ext[0] + o[0]) * m->es;
      memcpy(m->data + dst, in + (z * r[1] + y) * row, row);
    }
}

/* A model of an image (or one mip level) holding fill_pattern(seed). */
static model model_new(cl_mem img, size_t x, size_t y, size_t z, size_t es, uint32_t seed) {
  model m = {img, {x, y, z}, es, NULL, 3};
  m.data = xmalloc(model_bytes(&m));
  fill_pattern(m.data, model_bytes(&m), seed);
  return m;
}

static void model_write_all(cl_command_queue q, model *m, const size_t *origin4) {
  size_t r[3] = {m->ext[0], m->ext[1], m->ext[2]};
  write_img(q, m->mem, origin4, r, m->data);
}

/* ---------- outcomes: what a check saw, reported by the parent ---------- */

enum { OUT_CODE, OUT_DATA, OUT_NEGATIVE, OUT_SKIP };
typedef struct {
  int kind;        /* OUT_CODE: code vs want; OUT_DATA: code, then bytes a of b equal;
                      OUT_NEGATIVE: a must be < 0; OUT_SKIP: not applicable */
  cl_int code;
  long long a, b;
} outcome;

static outcome out_code(cl_int code) { outcome o = {OUT_CODE, code, 0, 0}; return o; }

static void report(const char *name, outcome o, cl_int want) {
  switch (o.kind) {
    case OUT_CODE: EXPECT_CODE(name, o.code, want); break;
    case OUT_DATA:
      if (o.code != CL_SUCCESS) EXPECT_CODE(name, o.code, CL_SUCCESS);
      else check(name, o.a == o.b, "first difference at byte %lld of %lld", o.a, o.b);
      break;
    case OUT_NEGATIVE:
      check(name, o.a < 0, "execution status %lld, the spec says a negative value (%lld)", o.a, -1);
      break;
    default: printf("note: %s not applicable here, skipped\n", name); break;
  }
}

/* Index of the first differing byte (n if equal). */
static long long first_diff(const unsigned char *g, const unsigned char *w, size_t n) {
  size_t i = 0;
  while (i < n && g[i] == w[i]) i++;
  return (long long)i;
}

/* Copies box (origin4, r) of m into buf (`size` bytes) at `off` and
 * compares the whole buffer with guard bytes + the packed box: the copy's
 * code if it is not CL_SUCCESS, else the bytes. */
static outcome run_copy(const model *m, const size_t *origin4, const size_t *r, cl_mem buf,
                        size_t size, size_t off) {
  cl_command_queue q = env.queue;
  unsigned char *guard = xmalloc(size), *want = xmalloc(size), *got = xmalloc(size);
  fill_pattern(guard, size, 0xB00F5EED);
  write_buf(q, buf, 0, size, guard);
  memcpy(want, guard, size);
  model_box(m, origin4, r, want + off);
  outcome o = {OUT_DATA, clEnqueueCopyImageToBuffer(q, m->mem, buf, origin4, r, off, 0, NULL, NULL),
               0, (long long)size};
  if (o.code == CL_SUCCESS) {
    read_buf(q, buf, 0, size, got);
    o.a = first_diff(got, want, size);
  }
  free(guard); free(want); free(got);
  return o;
}

static outcome run_copy_new(const model *m, const size_t *origin4, const size_t *r, size_t off) {
  size_t size = off + r[0] * r[1] * r[2] * m->es + 37;
  cl_mem buf = mk_buffer(env.context, 0, size, NULL);
  outcome o = run_copy(m, origin4, r, buf, size, off);
  MUST(clReleaseMemObject(buf));
  return o;
}

static void check_copy_into(const char *name, const model *m, const size_t *origin4,
                            const size_t *r, cl_mem buf, size_t size, size_t off) {
  report(name, run_copy(m, origin4, r, buf, size, off), CL_SUCCESS);
}

static void check_copy(const char *name, const model *m, const size_t *origin4,
                       const size_t *r, size_t off) {
  report(name, run_copy_new(m, origin4, r, off), CL_SUCCESS);
}

/* ---------- the image types ---------- */

typedef struct {
  const char *name;
  cl_mem_object_type type;
  size_t w, h, d, a;         /* as created */
  size_t ext[3];             /* type coordinates */
  size_t o[4], r[3], off;    /* a box inside, and a buffer offset */
} type_case;

static const type_case TYPES[] = {
  {"1d", CL_MEM_OBJECT_IMAGE1D, 64, 0, 0, 0, {64, 1, 1}, {5, 0, 0, 0}, {20, 1, 1}, 36},
  {"1d-buffer", CL_MEM_OBJECT_IMAGE1D_BUFFER, 64, 0, 0, 0, {64, 1, 1}, {9, 0, 0, 0}, {31, 1, 1}, 3},
  {"1d-array", CL_MEM_OBJECT_IMAGE1D_ARRAY, 16, 0, 0, 6, {16, 6, 1}, {3, 2, 0, 0}, {9, 3, 1}, 17},
  {"2d", CL_MEM_OBJECT_IMAGE2D, 40, 36, 0, 0, {40, 36, 1}, {13, 5, 0, 0}, {27, 30, 1}, 100},
  {"2d-array", CL_MEM_OBJECT_IMAGE2D_ARRAY, 20, 12, 0, 4, {20, 12, 4}, {2, 3, 1, 0}, {15, 7, 2}, 64},
  {"3d", CL_MEM_OBJECT_IMAGE3D, 12, 10, 6, 0, {12, 10, 6}, {1, 2, 1, 0}, {10, 7, 4}, 5},
};
#define NTYPES (sizeof TYPES / sizeof TYPES[0])

/* Creates the image of case t with format f (a 1D image buffer gets a fresh
 * backing buffer, returned in *backing) and fills it with a pattern. */
static model make_case(const type_case *t, cl_image_format f, size_t es, uint32_t seed,
                       cl_mem *backing) {
  cl_mem img;
  model m;
  if (t->type == CL_MEM_OBJECT_IMAGE1D_BUFFER) {
    *backing = mk_buffer(env.context, 0, t->w * es, NULL);
    img = mk_image_ex(env.context, 0, f, t->type, t->w, 0, 0, 0, 0, *backing, NULL, NULL);
    m = model_new(img, t->ext[0], t->ext[1], t->ext[2], es, seed);
    /* The image's data store is the buffer's: fill it through the buffer. */
    write_buf(env.queue, *backing, 0, model_bytes(&m), m.data);
  } else {
    if (backing) *backing = NULL;
    img = mk_image(env.context, f, t->type, t->w, t->h, t->d, t->a, 0);
    m = model_new(img, t->ext[0], t->ext[1], t->ext[2], es, seed);
    size_t o[4] = {0, 0, 0, 0};
    model_write_all(env.queue, &m, o);
  }
  return m;
}

static void free_case(model *m, cl_mem backing) {
  MUST(clReleaseMemObject(m->mem));
  if (backing) MUST(clReleaseMemObject(backing));
  free(m->data);
}

#define O4(a, b, c, d) ((const size_t[4]){(a), (b), (c), (d)})
#define R3(a, b, c) ((const size_t[3]){(a), (b), (c)})

static cl_int copy(cl_command_queue q, cl_mem img, cl_mem buf, const size_t *o,
                   const size_t *r, size_t off) {
  return clEnqueueCopyImageToBuffer(q, img, buf, o, r, off, 0, NULL, NULL);
}

/* ---------- success paths ---------- */

static void test_success_2d_event(void) {
  cl_command_queue q = env.queue;
  cl_mem img = mk_image(env.context, RGBA8, CL_MEM_OBJECT_IMAGE2D, 16, 8, 0, 0, 0);
  model m = model_new(img, 16, 8, 1, 4, 7);
  model_write_all(q, &m, O4(0, 0, 0, 0));
  cl_mem buf = mk_buffer(env.context, 0, 1024, NULL);
  unsigned char guard[1024], want[1024], got[1024];
  fill_pattern(guard, sizeof guard, 99);
  write_buf(q, buf, 0, sizeof guard, guard);

  /* "clEnqueueCopyImageToBuffer returns CL_SUCCESS if the function is
   * executed successfully." / "event: Returns an event object that
   * identifies this particular copy command and can be used to query or
   * queue a wait for this particular command to complete." */
  cl_event ev = NULL;
  cl_int err = clEnqueueCopyImageToBuffer(q, img, buf, O4(3, 2, 0, 0), R3(5, 4, 1), 100, 0,
                                          NULL, &ev);
  EXPECT_CODE("success-2d-box", err, CL_SUCCESS);
  EXPECT_TRUE("event-returned", ev != NULL);
  if (ev) {
    cl_command_type ct = 0;
    cl_command_queue eq = NULL;
    cl_context ec = NULL;
    MUST(clGetEventInfo(ev, CL_EVENT_COMMAND_TYPE, sizeof ct, &ct, NULL));
    MUST(clGetEventInfo(ev, CL_EVENT_COMMAND_QUEUE, sizeof eq, &eq, NULL));
    MUST(clGetEventInfo(ev, CL_EVENT_CONTEXT, sizeof ec, &ec, NULL));
    EXPECT_TRUE("event-command-type", ct == CL_COMMAND_COPY_IMAGE_TO_BUFFER);
    EXPECT_TRUE("event-command-queue", eq == q);
    EXPECT_TRUE("event-context", ec == env.context);
    EXPECT_CODE("event-wait", clWaitForEvents(1, &ev), CL_SUCCESS);
    EXPECT_CODE("event-status-complete", event_status(ev), CL_COMPLETE);
    /* "... or queue a wait for this particular command to complete": a
     * marker waiting on the event completes. */
    cl_event mk = NULL;
    MUST(clEnqueueMarkerWithWaitList(q, 1, &ev, &mk));
    EXPECT_CODE("event-usable-in-wait-list", clWaitForEvents(1, &mk), CL_SUCCESS);
    MUST(clReleaseEvent(mk));
    MUST(clReleaseEvent(ev));
  }
  memcpy(want, guard, sizeof want);
  model_box(&m, O4(3, 2, 0, 0), R3(5, 4, 1), want + 100);
  read_buf(q, buf, 0, sizeof got, got);
  expect_bytes("data-2d-event-box", got, want, sizeof got);

  /* "event can be NULL in which case it will not be possible for the
   * application to query the status of this command" (the copy still
   * runs). "If event_wait_list is NULL, then this particular command does
   * not wait on any event to complete." */
  write_buf(q, buf, 0, sizeof guard, guard);
  err = clEnqueueCopyImageToBuffer(q, img, buf, O4(0, 7, 0, 0), R3(16, 1, 1), 960, 0, NULL, NULL);
  EXPECT_CODE("success-event-null", err, CL_SUCCESS);
  MUST(clFinish(q));
  memcpy(want, guard, sizeof want);
  model_box(&m, O4(0, 7, 0, 0), R3(16, 1, 1), want + 960);
  read_buf(q, buf, 0, sizeof got, got);
  expect_bytes("data-event-null", got, want, sizeof got);

  MUST(clReleaseMemObject(buf));
  MUST(clReleaseMemObject(img));
  free(m.data);
}

/* "src_origin: Defines the (x, y, z) offset in pixels in the 1D, 2D or 3D
 * image, the (x, y) offset and the image index in the 2D image array or
 * the (x) offset and the image index in the 1D image array." "region:
 * Defines the (width, height, depth) in pixels of the 1D, 2D or 3D
 * rectangle, the (width, height) in pixels of the 2D rectangle and the
 * number of images of a 2D image array or the (width) in pixels of the 1D
 * rectangle and the number of images of a 1D image array." "dst_offset:
 * Refers to the offset where to begin copying data into dst_buffer." */
enum { BOX_REGION, BOX_WHOLE, BOX_LAST_PIXEL, BOX_REGION_PLUS_1 };
static const char *const BOX_NAMES[] = {"region", "whole", "last-pixel", "region"};

/* One data check of image type TYPES[ti] in format f (es bytes a pixel):
 * the case's box at its offset, the whole image at 0, the far corner pixel
 * alone at 11, or the case's box at its offset + 1. */
static outcome data_case(size_t ti, int box, cl_image_format f, size_t es, uint32_t seed) {
  const type_case *t = &TYPES[ti];
  cl_mem backing = NULL;
  model m = make_case(t, f, es, seed, &backing);
  size_t last[4] = {t->ext[0] - 1, t->ext[1] - 1, t->ext[2] - 1, 0};
  outcome o;
  switch (box) {
    case BOX_REGION: o = run_copy_new(&m, t->o, t->r, t->off); break;
    case BOX_WHOLE: o = run_copy_new(&m, O4(0, 0, 0, 0), t->ext, 0); break;
    case BOX_LAST_PIXEL: o = run_copy_new(&m, last, R3(1, 1, 1), 11); break;
    default: o = run_copy_new(&m, t->o, t->r, t->off + 1); break;
  }
  free_case(&m, backing);
  return o;
}

static void test_data_per_type(void) {
  char name[64];
  for (size_t i = 0; i < NTYPES; i++) {
    if (TYPES[i].type == CL_MEM_OBJECT_IMAGE1D_BUFFER) continue; /* isolated_checks */
    for (int box = BOX_REGION; box <= BOX_LAST_PIXEL; box++) {
      snprintf(name, sizeof name, "data-%s-%s", TYPES[i].name, BOX_NAMES[box]);
      report(name, data_case(i, box, RGBA8, 4, 0x100 + (uint32_t)i), CL_SUCCESS);
    }
  }

  /* "If src_image is a 1D image array object, src_origin[1] describes the
   * image index in the 1D image array." (Layers 3 and 4, pixels 2..6.) */
  {
    cl_mem img = mk_image(env.context, RGBA8, CL_MEM_OBJECT_IMAGE1D_ARRAY, 8, 0, 0, 5, 0);
    model m = model_new(img, 8, 5, 1, 4, 11);
    model_write_all(env.queue, &m, O4(0, 0, 0, 0));
    check_copy("data-1d-array-origin1-is-layer", &m, O4(2, 3, 0, 0), R3(4, 2, 1), 0);
    MUST(clReleaseMemObject(img));
    free(m.data);
  }
  /* "If src_image is a 2D image array object, src_origin[2] describes the
   * image index in the 2D image array." */
  {
    cl_mem img = mk_image(env.context, RGBA8, CL_MEM_OBJECT_IMAGE2D_ARRAY, 4, 4, 0, 3, 0);
    model m = model_new(img, 4, 4, 3, 4, 12);
    model_write_all(env.queue, &m, O4(0, 0, 0, 0));
    check_copy("data-2d-array-origin2-is-layer", &m, O4(0, 0, 2, 0), R3(4, 4, 1), 0);
    MUST(clReleaseMemObject(img));
    free(m.data);
  }
}

/* Other formats (only those the device lists): "dst_cb is computed as ...
 * bytes/image element". */
static const struct { const char *name; cl_channel_order o; cl_channel_type t; size_t es; } F[] = {
  {"r-uint8", CL_R, CL_UNSIGNED_INT8, 1},
  {"rg-uint16", CL_RG, CL_UNSIGNED_INT16, 4},
  {"r-half", CL_R, CL_HALF_FLOAT, 2},
  {"rgba-uint32", CL_RGBA, CL_UNSIGNED_INT32, 16},
  {"rgba-unorm16", CL_RGBA, CL_UNORM_INT16, 8},
  {"bgra-unorm8", CL_BGRA, CL_UNORM_INT8, 4},
};
#define NFORMATS (sizeof F / sizeof F[0])

/* Format F[fi] on TYPES[ti] (skipped where the device does not list it). */
static outcome format_case(size_t fi, size_t ti) {
  cl_image_format f = fmt(F[fi].o, F[fi].t);
  if (!format_supported(f, TYPES[ti].type)) {
    outcome o = {OUT_SKIP, 0, 0, 0};
    return o;
  }
  return data_case(ti, BOX_REGION_PLUS_1, f, F[fi].es, 0x200 + (uint32_t)(fi * 16 + ti));
}

/* 2D and 3D for every format; the other types for the first two. */
static int format_on_type(size_t fi, size_t ti) {
  return TYPES[ti].type == CL_MEM_OBJECT_IMAGE2D || TYPES[ti].type == CL_MEM_OBJECT_IMAGE3D ||
         fi < 2;
}

static void test_formats(void) {
  char name[64];
  for (size_t fi = 0; fi < NFORMATS; fi++)
    for (size_t ti = 0; ti < NTYPES; ti++) {
      if (!format_on_type(fi, ti) || TYPES[ti].type == CL_MEM_OBJECT_IMAGE1D_BUFFER) continue;
      snprintf(name, sizeof name, "data-%s-%s", TYPES[ti].name, F[fi].name);
      report(name, format_case(fi, ti), CL_SUCCESS);
    }
}

/* Storage kinds: buffers and images in host memory ("dst_buffer: A valid
 * buffer object", "src_image: A valid image object" of every kind). */
static void test_storage_kinds(void) {
  cl_command_queue q = env.queue;
  const type_case *t2 = &TYPES[3]; /* 2d */
  cl_mem backing = NULL;
  model m = make_case(t2, RGBA8, 4, 0x300, &backing);
  size_t size = 5000;

  cl_mem ahp = mk_buffer(env.context, CL_MEM_ALLOC_HOST_PTR, size, NULL);
  check_copy_into("data-dst-alloc-host-ptr", &m, t2->o, t2->r, ahp, size, 700);
  MUST(clReleaseMemObject(ahp));

  unsigned char *host = xmalloc(size);
  cl_mem uhp = mk_buffer(env.context, CL_MEM_USE_HOST_PTR, size, host);
  check_copy_into("data-dst-use-host-ptr", &m, t2->o, t2->r, uhp, size, 1);
  MUST(clReleaseMemObject(uhp));
  MUST(clFinish(q));
  free(host);

  /* Images in host memory: created from the model's bytes. */
  cl_mem_flags kinds[2] = {CL_MEM_COPY_HOST_PTR, CL_MEM_ALLOC_HOST_PTR | CL_MEM_COPY_HOST_PTR};
  const char *names[2] = {"data-src-copy-host-ptr", "data-src-alloc-host-ptr"};
  for (int k = 0; k < 2; k++) {
    model h = m;
    h.mem = mk_image_ex(env.context, kinds[k], RGBA8, CL_MEM_OBJECT_IMAGE2D, t2->w, t2->h, 0, 0, 0,
                        NULL, m.data, NULL);
    check_copy(names[k], &h, t2->o, t2->r, 40);
    MUST(clReleaseMemObject(h.mem));
  }
  {
    unsigned char *pixels = xmalloc(model_bytes(&m));
    memcpy(pixels, m.data, model_bytes(&m));
    model h = m;
    h.mem = mk_image_ex(env.context, CL_MEM_USE_HOST_PTR, RGBA8, CL_MEM_OBJECT_IMAGE2D, t2->w,
                        t2->h, 0, 0, 0, NULL, pixels, NULL);
    check_copy("data-src-use-host-ptr", &h, t2->o, t2->r, 8);
    MUST(clReleaseMemObject(h.mem));
    MUST(clFinish(q));
    free(pixels);
  }

  /* (A sub-buffer as dst_buffer: isolated_checks.) */
  free_case(&m, backing);
}

/* Companion: clEnqueueCopyBufferToImage then clEnqueueCopyImageToBuffer
 * carry the same bytes: the whole image from a buffer at src_offset 24,
 * or the case's box from src_offset 0 with the rest of the image unchanged;
 * then the whole image back out. */
static outcome roundtrip_case(size_t ti, int box) {
  cl_command_queue q = env.queue;
  const type_case *t = &TYPES[ti];
  cl_mem backing = NULL;
  model m = make_case(t, RGBA8, 4, 0x400 + (uint32_t)ti, &backing);
  size_t n = model_bytes(&m);
  unsigned char *src = xmalloc(n + 24);
  fill_pattern(src, n + 24, 0x410 + (uint32_t)ti);
  cl_mem sbuf = mk_buffer(env.context, 0, n + 24, NULL);
  write_buf(q, sbuf, 0, n + 24, src);
  outcome o = {OUT_DATA, CL_SUCCESS, 0, 0};
  if (box) {
    o.code = clEnqueueCopyBufferToImage(q, sbuf, m.mem, 0, t->o, t->r, 0, NULL, NULL);
    model_put(&m, t->o, t->r, src);
  } else {
    o.code = clEnqueueCopyBufferToImage(q, sbuf, m.mem, 24, O4(0, 0, 0, 0), t->ext, 0, NULL, NULL);
    memcpy(m.data, src + 24, n);
  }
  if (o.code == CL_SUCCESS) o = run_copy_new(&m, O4(0, 0, 0, 0), t->ext, 8);
  MUST(clFinish(q));
  MUST(clReleaseMemObject(sbuf));
  free(src);
  free_case(&m, backing);
  return o;
}

static void test_round_trips(void) {
  char name[64];
  for (size_t ti = 0; ti < NTYPES; ti++) {
    if (TYPES[ti].type == CL_MEM_OBJECT_IMAGE1D_BUFFER) continue; /* isolated_checks */
    snprintf(name, sizeof name, "roundtrip-%s-whole", TYPES[ti].name);
    report(name, roundtrip_case(ti, 0), CL_SUCCESS);
    snprintf(name, sizeof name, "roundtrip-%s-box", TYPES[ti].name);
    report(name, roundtrip_case(ti, 1), CL_SUCCESS);
  }
}

/* ---------- events and wait lists ---------- */

static void test_wait_lists(void) {
  cl_command_queue q = env.queue;
  cl_int err;
  cl_mem img = mk_image(env.context, RGBA8, CL_MEM_OBJECT_IMAGE2D, 16, 8, 0, 0, 0);
  model m = model_new(img, 16, 8, 1, 4, 21);
  model_write_all(q, &m, O4(0, 0, 0, 0));
  cl_mem buf = mk_buffer(env.context, 0, 256, NULL);
  unsigned char guard[256], want[256], got[256];
  fill_pattern(guard, sizeof guard, 0x77);
  write_buf(q, buf, 0, sizeof guard, guard);
  cl_command_queue q2 = clCreateCommandQueueWithProperties(env.context, env.device, NULL, &err);
  MUST(err);

  /* "event_wait_list, num_events_in_wait_list: Specify events that need to
   * complete before this particular command can be executed." "The events
   * specified in event_wait_list act as synchronization points." */
  cl_event gate = user_event(env.context);
  cl_event ev = NULL;
  err = clEnqueueCopyImageToBuffer(q, img, buf, O4(0, 1, 0, 0), R3(8, 2, 1), 16, 1, &gate, &ev);
  EXPECT_CODE("gated-enqueue", err, CL_SUCCESS);
  MUST(clFlush(q));
  sleep_ms(50);
  if (ev) EXPECT_TRUE("gated-not-complete-before-gate", event_status(ev) > CL_COMPLETE);
  /* Another queue of the context still sees the guard bytes. */
  read_buf(q2, buf, 0, sizeof got, got);
  expect_bytes("gated-buffer-untouched-before-gate", got, guard, sizeof got);
  MUST(clSetUserEventStatus(gate, CL_COMPLETE));
  if (ev) {
    EXPECT_CODE("gated-wait", clWaitForEvents(1, &ev), CL_SUCCESS);
    EXPECT_CODE("gated-complete-after-gate", event_status(ev), CL_COMPLETE);
    MUST(clReleaseEvent(ev));
  }
  memcpy(want, guard, sizeof want);
  model_box(&m, O4(0, 1, 0, 0), R3(8, 2, 1), want + 16);
  read_buf(q, buf, 0, sizeof got, got);
  expect_bytes("data-gated-copy", got, want, sizeof got);
  MUST(clReleaseEvent(gate));

  /* "The memory associated with event_wait_list can be reused or freed
   * after the function returns." The list is overwritten and freed before
   * the gates complete; the copy waits for both and runs. */
  write_buf(q, buf, 0, sizeof guard, guard);
  cl_event g1 = user_event(env.context), g2 = user_event(env.context);
  cl_event *list = (cl_event *)xmalloc(2 * sizeof *list);
  list[0] = g1;
  list[1] = g2;
  ev = NULL;
  err = clEnqueueCopyImageToBuffer(q, img, buf, O4(4, 4, 0, 0), R3(4, 4, 1), 100, 2, list, &ev);
  EXPECT_CODE("wait-list-freed-enqueue", err, CL_SUCCESS);
  memset(list, 0, 2 * sizeof *list);
  free(list);
  MUST(clFlush(q));
  MUST(clSetUserEventStatus(g1, CL_COMPLETE));
  sleep_ms(50);
  if (ev) EXPECT_TRUE("wait-list-second-gate-holds", event_status(ev) > CL_COMPLETE);
  MUST(clSetUserEventStatus(g2, CL_COMPLETE));
  if (ev) {
    EXPECT_CODE("wait-list-freed-wait", clWaitForEvents(1, &ev), CL_SUCCESS);
    MUST(clReleaseEvent(ev));
  }
  memcpy(want, guard, sizeof want);
  model_box(&m, O4(4, 4, 0, 0), R3(4, 4, 1), want + 100);
  read_buf(q, buf, 0, sizeof got, got);
  expect_bytes("data-wait-list-freed", got, want, sizeof got);
  MUST(clReleaseEvent(g1));
  MUST(clReleaseEvent(g2));

  /* A wait list across queues: a copy on q2 waits for a write on q gated by
   * a user event; its data is the write's. */
  {
    cl_event g = user_event(env.context), wev = NULL, cev = NULL;
    unsigned char fresh[64];
    fill_pattern(fresh, sizeof fresh, 0x99);
    MUST(clEnqueueWriteImage(q, img, CL_FALSE, O4(0, 0, 0, 0), R3(16, 1, 1), 0, 0, fresh, 1, &g, &wev));
    err = clEnqueueCopyImageToBuffer(q2, img, buf, O4(0, 0, 0, 0), R3(16, 1, 1), 0, 1, &wev, &cev);
    EXPECT_CODE("cross-queue-wait-enqueue", err, CL_SUCCESS);
    MUST(clFlush(q));
    MUST(clFlush(q2));
    MUST(clSetUserEventStatus(g, CL_COMPLETE));
    if (cev) {
      EXPECT_CODE("cross-queue-wait", clWaitForEvents(1, &cev), CL_SUCCESS);
      MUST(clReleaseEvent(cev));
    }
    read_buf(q, buf, 0, 64, got);
    expect_bytes("data-cross-queue-wait", got, fresh, 64);
    MUST(clReleaseEvent(wev));
    MUST(clReleaseEvent(g));
  }

  MUST(clFinish(q2));
  MUST(clReleaseCommandQueue(q2));
  MUST(clReleaseMemObject(buf));
  MUST(clReleaseMemObject(img));
  free(m.data);
}

/* ---------- errors ---------- */

static void test_errors(void) {
  cl_command_queue q = env.queue;
  cl_context ctx = env.context;
  cl_int err;
  cl_mem img = mk_image(ctx, RGBA8, CL_MEM_OBJECT_IMAGE2D, 16, 8, 0, 0, 0);
  cl_mem buf = mk_buffer(ctx, 0, 1024, NULL);
  const size_t *o0 = O4(0, 0, 0, 0);
  const size_t *r1 = R3(1, 1, 1);

  /* "CL_INVALID_COMMAND_QUEUE if command_queue is not a valid host
   * command-queue." */
  EXPECT_CODE("err-invalid-command-queue-null", copy(NULL, img, buf, o0, r1, 0),
              CL_INVALID_COMMAND_QUEUE);
  /* (A handle of another kind and a released queue: isolated_checks.) */
  /* "command_queue: Must be a valid host command-queue." A device queue,
   * where the device has them (CL_DEVICE_QUEUE_ON_DEVICE_PROPERTIES is 0
   * on a device without). */
  cl_command_queue_properties on_device = 0;
  MUST(clGetDeviceInfo(env.device, CL_DEVICE_QUEUE_ON_DEVICE_PROPERTIES, sizeof on_device,
                       &on_device, NULL));
  if (!on_device) {
    printf("note: the device has no device queues; the device-queue case is not reachable\n");
  } else {
    cl_queue_properties props[] = {
      CL_QUEUE_PROPERTIES,
      CL_QUEUE_ON_DEVICE | CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE, 0};
    cl_command_queue dq = clCreateCommandQueueWithProperties(ctx, env.device, props, &err);
    if (err == CL_SUCCESS) {
      EXPECT_CODE("err-invalid-command-queue-device-queue", copy(dq, img, buf, o0, r1, 0),
                  CL_INVALID_COMMAND_QUEUE);
      MUST(clReleaseCommandQueue(dq));
    } else {
      printf("note: no device queue (%d); the device-queue case is not reachable\n", err);
    }
  }

  /* "CL_INVALID_CONTEXT if the context associated with command_queue,
   * src_image and dst_buffer are not the same or if the context associated
   * with command_queue and events in event_wait_list are not the same."
   * "The OpenCL context associated with command_queue, src_image, and
   * dst_buffer must be the same." "The context associated with events in
   * event_wait_list and command_queue must be the same." */
  {
    cl_context other = clCreateContext(NULL, 1, &env.device, NULL, NULL, &err);
    MUST(err);
    cl_command_queue other_q = clCreateCommandQueueWithProperties(other, env.device, NULL, &err);
    MUST(err);
    cl_mem other_img = mk_image(other, RGBA8, CL_MEM_OBJECT_IMAGE2D, 16, 8, 0, 0, 0);
    cl_mem other_buf = mk_buffer(other, 0, 1024, NULL);
    EXPECT_CODE("err-invalid-context-image", copy(q, other_img, buf, o0, r1, 0), CL_INVALID_CONTEXT);
    EXPECT_CODE("err-invalid-context-buffer", copy(q, img, other_buf, o0, r1, 0), CL_INVALID_CONTEXT);
    EXPECT_CODE("err-invalid-context-queue", copy(other_q, img, buf, o0, r1, 0), CL_INVALID_CONTEXT);
    cl_event oev = user_event(other);
    EXPECT_CODE("err-invalid-context-event",
                clEnqueueCopyImageToBuffer(q, img, buf, o0, r1, 0, 1, &oev, NULL),
                CL_INVALID_CONTEXT);
    MUST(clSetUserEventStatus(oev, CL_COMPLETE));
    MUST(clReleaseEvent(oev));

    /* The errors come in the page's order (docs/opencl.md, "Errors checked
     * in page order"): each call breaks two rules and gets the earlier
     * one's code. */
    EXPECT_CODE("order-queue-before-mem-object",
                copy(NULL, NULL, buf, o0, R3(0, 1, 1), 0), CL_INVALID_COMMAND_QUEUE);
    EXPECT_CODE("order-context-before-mem-object",
                copy(q, NULL, other_buf, o0, R3(0, 1, 1), 0), CL_INVALID_CONTEXT);
    EXPECT_CODE("order-mem-object-before-value",
                copy(q, buf, buf, o0, R3(0, 1, 1), 0), CL_INVALID_MEM_OBJECT);
    EXPECT_CODE("order-value-before-wait-list",
                clEnqueueCopyImageToBuffer(q, img, buf, o0, R3(0, 1, 1), 0, 1, NULL, NULL),
                CL_INVALID_VALUE);

    MUST(clReleaseMemObject(other_img));
    MUST(clReleaseMemObject(other_buf));
    MUST(clReleaseCommandQueue(other_q));
    MUST(clReleaseContext(other));
  }

  /* "CL_INVALID_MEM_OBJECT if src_image is not a valid image object or
   * dst_buffer is not a valid buffer object or if src_image is a 1D image
   * buffer object created from dst_buffer." ("src_image: A valid image
   * object." "dst_buffer: A valid buffer object.") */
  EXPECT_CODE("err-invalid-mem-object-buffer-as-image", copy(q, buf, buf, o0, r1, 0),
              CL_INVALID_MEM_OBJECT);
  EXPECT_CODE("err-invalid-mem-object-image-as-buffer", copy(q, img, img, o0, r1, 0),
              CL_INVALID_MEM_OBJECT);
  EXPECT_CODE("err-invalid-mem-object-null-image", copy(q, NULL, buf, o0, r1, 0),
              CL_INVALID_MEM_OBJECT);
  /* (A NULL dst_buffer, handles of another kind, released objects and the
   * 1D image buffer cases: isolated_checks.) */

  /* "CL_INVALID_VALUE if the 1D, 2D, or 3D rectangular region specified by
   * src_origin and src_origin + region refers to a region outside
   * src_image, or if the region specified by dst_offset and dst_offset +
   * dst_cb refers to a region outside dst_buffer." */
  EXPECT_CODE("err-outside-right-edge", copy(q, img, buf, O4(12, 0, 0, 0), R3(5, 1, 1), 0),
              CL_INVALID_VALUE);
  EXPECT_CODE("err-outside-bottom", copy(q, img, buf, O4(0, 7, 0, 0), R3(1, 2, 1), 0),
              CL_INVALID_VALUE);
  EXPECT_CODE("err-outside-origin-x", copy(q, img, buf, O4(16, 0, 0, 0), r1, 0), CL_INVALID_VALUE);
  EXPECT_CODE("err-outside-origin-y", copy(q, img, buf, O4(0, 8, 0, 0), r1, 0), CL_INVALID_VALUE);
  EXPECT_CODE("err-outside-origin-wraps",
              copy(q, img, buf, O4(SIZE_MAX, 0, 0, 0), R3(2, 1, 1), 0), CL_INVALID_VALUE);
  EXPECT_CODE("ok-buffer-exact-end", copy(q, img, buf, o0, R3(16, 4, 1), 768), CL_SUCCESS);
  EXPECT_CODE("err-outside-buffer", copy(q, img, buf, o0, R3(16, 4, 1), 769), CL_INVALID_VALUE);
  EXPECT_CODE("err-outside-buffer-offset-at-size", copy(q, img, buf, o0, r1, 1024),
              CL_INVALID_VALUE);
  EXPECT_CODE("err-outside-buffer-offset-wraps", copy(q, img, buf, o0, R3(2, 1, 1), SIZE_MAX - 3),
              CL_INVALID_VALUE);
  {
    cl_mem vol = mk_image(ctx, RGBA8, CL_MEM_OBJECT_IMAGE3D, 4, 4, 4, 0, 0);
    EXPECT_CODE("err-outside-3d-last-slice", copy(q, vol, buf, O4(0, 0, 2, 0), R3(4, 4, 3), 0),
                CL_INVALID_VALUE);
    EXPECT_CODE("err-outside-3d-depth-origin", copy(q, vol, buf, O4(0, 0, 4, 0), r1, 0),
                CL_INVALID_VALUE);
    MUST(clReleaseMemObject(vol));
    cl_mem arr = mk_image(ctx, RGBA8, CL_MEM_OBJECT_IMAGE2D_ARRAY, 4, 4, 0, 3, 0);
    EXPECT_CODE("err-outside-2d-array-layer", copy(q, arr, buf, O4(0, 0, 3, 0), r1, 0),
                CL_INVALID_VALUE);
    EXPECT_CODE("err-outside-2d-array-layers", copy(q, arr, buf, O4(0, 0, 1, 0), R3(1, 1, 3), 0),
                CL_INVALID_VALUE);
    MUST(clReleaseMemObject(arr));
    cl_mem arr1 = mk_image(ctx, RGBA8, CL_MEM_OBJECT_IMAGE1D_ARRAY, 8, 0, 0, 5, 0);
    EXPECT_CODE("err-outside-1d-array-layers", copy(q, arr1, buf, O4(0, 4, 0, 0), R3(1, 2, 1), 0),
                CL_INVALID_VALUE);
    EXPECT_CODE("err-outside-1d-array-width", copy(q, arr1, buf, O4(4, 0, 0, 0), R3(5, 1, 1), 0),
                CL_INVALID_VALUE);
    MUST(clReleaseMemObject(arr1));
    cl_mem d1 = mk_image(ctx, RGBA8, CL_MEM_OBJECT_IMAGE1D, 64, 0, 0, 0, 0);
    EXPECT_CODE("err-outside-1d-width", copy(q, d1, buf, O4(60, 0, 0, 0), R3(5, 1, 1), 0),
                CL_INVALID_VALUE);
    MUST(clReleaseMemObject(d1));
  }

  /* "The size in bytes of the region to be copied referred to as dst_cb is
   * computed as width * height * depth * bytes/image element if src_image
   * is a 3D image object, is computed as width * height * bytes/image
   * element if src_image is a 2D image, is computed as width * height *
   * arraysize * bytes/image element if src_image is a 2D image array
   * object, is computed as width * bytes/image element if src_image is a
   * 1D image or 1D image buffer object and is computed as width *
   * arraysize * bytes/image element if src_image is a 1D image array
   * object." Every case is 512 bytes: it fits exactly at the end of a
   * 4096-byte buffer, one byte further it does not. */
  {
    cl_mem big = mk_buffer(ctx, 0, 4096, NULL);
    static const struct { const char *name; cl_mem_object_type ty; size_t w, h, d, a, r[3]; } C[] = {
      {"3d", CL_MEM_OBJECT_IMAGE3D, 8, 4, 4, 0, {8, 4, 4}},
      {"2d", CL_MEM_OBJECT_IMAGE2D, 8, 16, 0, 0, {8, 16, 1}},
      {"2d-array", CL_MEM_OBJECT_IMAGE2D_ARRAY, 8, 4, 0, 4, {8, 4, 4}},
      {"1d", CL_MEM_OBJECT_IMAGE1D, 128, 0, 0, 0, {128, 1, 1}},
      {"1d-array", CL_MEM_OBJECT_IMAGE1D_ARRAY, 32, 0, 0, 4, {32, 4, 1}},
      /* 1D image buffer: isolated_checks. */
    };
    char name[64];
    for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
      cl_mem im = mk_image(ctx, RGBA8, C[i].ty, C[i].w, C[i].h, C[i].d, C[i].a, 0);
      snprintf(name, sizeof name, "ok-dst-cb-%s-exact-end", C[i].name);
      EXPECT_CODE(name, copy(q, im, big, o0, C[i].r, 4096 - 512), CL_SUCCESS);
      snprintf(name, sizeof name, "err-dst-cb-%s-one-past", C[i].name);
      EXPECT_CODE(name, copy(q, im, big, o0, C[i].r, 4096 - 511), CL_INVALID_VALUE);
      MUST(clFinish(q));
      MUST(clReleaseMemObject(im));
    }
    /* bytes/image element: 16-byte RGBA UINT32 pixels, 32 of them = 512. */
    cl_image_format f32 = fmt(CL_RGBA, CL_UNSIGNED_INT32);
    if (format_supported(f32, CL_MEM_OBJECT_IMAGE2D)) {
      cl_mem im = mk_image(ctx, f32, CL_MEM_OBJECT_IMAGE2D, 8, 4, 0, 0, 0);
      EXPECT_CODE("ok-dst-cb-element-16-exact-end", copy(q, im, big, o0, R3(8, 4, 1), 4096 - 512),
                  CL_SUCCESS);
      EXPECT_CODE("err-dst-cb-element-16-one-past", copy(q, im, big, o0, R3(8, 4, 1), 4096 - 511),
                  CL_INVALID_VALUE);
      MUST(clFinish(q));
      MUST(clReleaseMemObject(im));
    }
    MUST(clReleaseMemObject(big));
  }

  /* "CL_INVALID_VALUE if values in src_origin and region do not follow
   * rules described in the argument description for src_origin and
   * region." */
  /* "If src_image is a 2D image object, src_origin[2] must be 0." */
  EXPECT_CODE("err-2d-origin2-nonzero", copy(q, img, buf, O4(0, 0, 1, 0), r1, 0), CL_INVALID_VALUE);
  /* "If src_image is a 2D image object, ... region[2] must be 1." */
  EXPECT_CODE("err-2d-region2-not-1", copy(q, img, buf, o0, R3(1, 1, 2), 0), CL_INVALID_VALUE);
  /* "The values in region cannot be 0." */
  EXPECT_CODE("err-region0-zero", copy(q, img, buf, o0, R3(0, 1, 1), 0), CL_INVALID_VALUE);
  EXPECT_CODE("err-region1-zero", copy(q, img, buf, o0, R3(1, 0, 1), 0), CL_INVALID_VALUE);
  EXPECT_CODE("err-region2-zero", copy(q, img, buf, o0, R3(1, 1, 0), 0), CL_INVALID_VALUE);
  /* "If src_image is a 1D image or 1D image buffer object, src_origin[1]
   * and src_origin[2] must be 0." "If src_image is a 1D image or 1D image
   * buffer object, region[1] and region[2] must be 1." (The 1D image
   * buffer: isolated_checks.) */
  {
    cl_mem big = mk_buffer(ctx, 0, 4096, NULL);
    cl_mem d1 = mk_image(ctx, RGBA8, CL_MEM_OBJECT_IMAGE1D, 64, 0, 0, 0, 0);
    EXPECT_CODE("ok-1d-rules", copy(q, d1, big, O4(1, 0, 0, 0), R3(3, 1, 1), 0), CL_SUCCESS);
    EXPECT_CODE("err-1d-origin1-nonzero", copy(q, d1, big, O4(1, 1, 0, 0), R3(3, 1, 1), 0),
                CL_INVALID_VALUE);
    EXPECT_CODE("err-1d-origin2-nonzero", copy(q, d1, big, O4(1, 0, 1, 0), R3(3, 1, 1), 0),
                CL_INVALID_VALUE);
    EXPECT_CODE("err-1d-region1-not-1", copy(q, d1, big, O4(1, 0, 0, 0), R3(3, 2, 1), 0),
                CL_INVALID_VALUE);
    EXPECT_CODE("err-1d-region2-not-1", copy(q, d1, big, O4(1, 0, 0, 0), R3(3, 1, 2), 0),
                CL_INVALID_VALUE);
    MUST(clFinish(q));
    MUST(clReleaseMemObject(d1));

    /* "If src_image is a 1D image array object, src_origin[2] must be 0."
     * "If src_image is a 1D image array object, region[2] must be 1." */
    cl_mem arr1 = mk_image(ctx, RGBA8, CL_MEM_OBJECT_IMAGE1D_ARRAY, 8, 0, 0, 5, 0);
    EXPECT_CODE("err-1d-array-origin2-nonzero", copy(q, arr1, big, O4(0, 0, 1, 0), r1, 0),
                CL_INVALID_VALUE);
    EXPECT_CODE("err-1d-array-region2-not-1", copy(q, arr1, big, o0, R3(1, 1, 2), 0),
                CL_INVALID_VALUE);
    MUST(clReleaseMemObject(arr1));
    MUST(clReleaseMemObject(big));
  }

  /* "CL_INVALID_EVENT_WAIT_LIST if event_wait_list is NULL and
   * num_events_in_wait_list > 0, or event_wait_list is not NULL and
   * num_events_in_wait_list is 0, or if event objects in event_wait_list
   * are not valid events." ("If event_wait_list is NULL,
   * num_events_in_wait_list must be 0. If event_wait_list is not NULL, the
   * list of events pointed to by event_wait_list must be valid and
   * num_events_in_wait_list must be greater than 0.") */
  {
    cl_event ue = user_event(ctx);
    EXPECT_CODE("err-wait-list-null-with-count",
                clEnqueueCopyImageToBuffer(q, img, buf, o0, r1, 0, 1, NULL, NULL),
                CL_INVALID_EVENT_WAIT_LIST);
    EXPECT_CODE("err-wait-list-count-zero",
                clEnqueueCopyImageToBuffer(q, img, buf, o0, r1, 0, 0, &ue, NULL),
                CL_INVALID_EVENT_WAIT_LIST);
    cl_event nul = NULL;
    EXPECT_CODE("err-wait-list-null-event",
                clEnqueueCopyImageToBuffer(q, img, buf, o0, r1, 0, 1, &nul, NULL),
                CL_INVALID_EVENT_WAIT_LIST);
    /* (A handle of another kind and a released event: isolated_checks.) */
    MUST(clSetUserEventStatus(ue, CL_COMPLETE));
    MUST(clReleaseEvent(ue));
  }

  /* "CL_MISALIGNED_SUB_BUFFER_OFFSET if dst_buffer is a sub-buffer object
   * and offset specified when the sub-buffer object is created is not
   * aligned to CL_DEVICE_MEM_BASE_ADDR_ALIGN value for device associated
   * with queue." The context has one device, so clCreateSubBuffer already
   * refuses such an origin with this code (docs/opencl.md); should an
   * implementation create it, the copy must refuse it. */
  {
    cl_mem parent = mk_buffer(ctx, 0, 4 * base_align_bytes + 1024, NULL);
    cl_buffer_region reg = {base_align_bytes / 2, 256};
    cl_mem sub = clCreateSubBuffer(parent, 0, CL_BUFFER_CREATE_TYPE_REGION, &reg, &err);
    EXPECT_CODE("err-misaligned-sub-buffer-at-creation", err, CL_MISALIGNED_SUB_BUFFER_OFFSET);
    if (err == CL_SUCCESS) {
      EXPECT_CODE("err-misaligned-sub-buffer-offset", copy(q, img, sub, o0, r1, 0),
                  CL_MISALIGNED_SUB_BUFFER_OFFSET);
      MUST(clFinish(q));
      MUST(clReleaseMemObject(sub));
    }
    MUST(clReleaseMemObject(parent));
  }

  /* "CL_INVALID_IMAGE_SIZE if image dimensions (image width, height,
   * specified or compute row and/or slice pitch) for src_image are not
   * supported by device associated with queue." One device per context:
   * such an image cannot be created (clCreateImage returns the code). */
  {
    size_t maxw = 0;
    MUST(clGetDeviceInfo(env.device, CL_DEVICE_IMAGE2D_MAX_WIDTH, sizeof maxw, &maxw, NULL));
    cl_mem im = mk_image_ex(ctx, 0, RGBA8, CL_MEM_OBJECT_IMAGE2D, maxw + 1, 4, 0, 0, 0, NULL, NULL,
                            &err);
    EXPECT_CODE("err-invalid-image-size-at-creation", err, CL_INVALID_IMAGE_SIZE);
    if (err == CL_SUCCESS) {
      EXPECT_CODE("err-invalid-image-size", copy(q, im, buf, o0, r1, 0), CL_INVALID_IMAGE_SIZE);
      MUST(clFinish(q));
      MUST(clReleaseMemObject(im));
    }
  }
  /* "CL_IMAGE_FORMAT_NOT_SUPPORTED if image format (image channel order and
   * data type) for src_image are not supported by device associated with
   * queue." A valid format the device does not list: clCreateImage
   * refuses it with this code. */
  {
    static const cl_image_format candidates[] = {
      {CL_RGB, CL_UNORM_SHORT_565}, {CL_ARGB, CL_UNORM_INT8}, {CL_RA, CL_UNORM_INT8},
      {CL_A, CL_UNORM_INT8}, {CL_LUMINANCE, CL_UNORM_INT8}, {CL_INTENSITY, CL_UNORM_INT8},
      {CL_RGB, CL_UNORM_INT_101010}, {CL_RGx, CL_UNORM_INT8},
    };
    int found = 0;
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0] && !found; i++) {
      if (format_supported(candidates[i], CL_MEM_OBJECT_IMAGE2D)) continue;
      found = 1;
      printf("note: unsupported format used: order 0x%x type 0x%x\n",
             candidates[i].image_channel_order, candidates[i].image_channel_data_type);
      cl_mem im = mk_image_ex(ctx, 0, candidates[i], CL_MEM_OBJECT_IMAGE2D, 4, 4, 0, 0, 0, NULL,
                              NULL, &err);
      EXPECT_CODE("err-image-format-not-supported-at-creation", err, CL_IMAGE_FORMAT_NOT_SUPPORTED);
      if (err == CL_SUCCESS) {
        EXPECT_CODE("err-image-format-not-supported", copy(q, im, buf, o0, r1, 0),
                    CL_IMAGE_FORMAT_NOT_SUPPORTED);
        MUST(clFinish(q));
        MUST(clReleaseMemObject(im));
      }
    }
    if (!found) printf("note: every candidate format is supported; check not reachable\n");
  }

  /* "CL_INVALID_OPERATION if the device associated with command_queue does
   * not support images": the device does, so the copy succeeds. */
  {
    cl_bool images = CL_FALSE;
    MUST(clGetDeviceInfo(env.device, CL_DEVICE_IMAGE_SUPPORT, sizeof images, &images, NULL));
    EXPECT_TRUE("device-image-support", images == CL_TRUE);
    EXPECT_CODE("ok-image-support-copy", copy(q, img, buf, o0, r1, 0),
                images ? CL_SUCCESS : CL_INVALID_OPERATION);
    MUST(clFinish(q));
  }

  MUST(clReleaseMemObject(buf));
  MUST(clReleaseMemObject(img));
}

/* ---------- mip levels ---------- */

/* Level extents: x, y, z halve (never the layer count), at least 1. */
static size_t half(size_t v, unsigned l) { v >>= l; return v ? v : 1; }

/* A mipmapped image of type t (w, h, d, a as created), levels L, level
 * element at index li of origin. Levels are written from the highest to 0,
 * so a level written into the wrong place is overwritten by level 0's
 * bytes and the copies of the higher levels find it. */
static void mip_case(const char *tname, cl_mem_object_type ty, size_t w, size_t h, size_t d,
                     size_t a, cl_uint L, int li) {
  char name[64];
  cl_mem img = mk_image(env.context, RGBA8, ty, w, h, d, a, L);
  model lv[8];
  for (int l = (int)L - 1; l >= 0; l--) {
    size_t ext[3];
    switch (ty) {
      case CL_MEM_OBJECT_IMAGE1D: ext[0] = half(w, l); ext[1] = 1; ext[2] = 1; break;
      case CL_MEM_OBJECT_IMAGE1D_ARRAY: ext[0] = half(w, l); ext[1] = a; ext[2] = 1; break;
      case CL_MEM_OBJECT_IMAGE2D: ext[0] = half(w, l); ext[1] = half(h, l); ext[2] = 1; break;
      case CL_MEM_OBJECT_IMAGE2D_ARRAY: ext[0] = half(w, l); ext[1] = half(h, l); ext[2] = a; break;
      default: ext[0] = half(w, l); ext[1] = half(h, l); ext[2] = half(d, l); break;
    }
    lv[l] = model_new(img, ext[0], ext[1], ext[2], 4, 0x600 + (uint32_t)l);
    lv[l].level_at = li;
    size_t o[4] = {0, 0, 0, 0};
    o[li] = (size_t)l;
    model_write_all(env.queue, &lv[l], o);
  }
  for (cl_uint l = 0; l < L; l++) {
    size_t o[4] = {0, 0, 0, 0};
    o[li] = l;
    snprintf(name, sizeof name, "mip-%s-level%u", tname, l);
    check_copy(name, &lv[l], o, lv[l].ext, 4);
  }
  /* A box inside level 1, away from its origin. */
  {
    size_t o[4] = {lv[1].ext[0] / 2, 0, 0, 0};
    size_t r[3] = {lv[1].ext[0] - o[0], lv[1].ext[1], lv[1].ext[2]};
    if (li != 1 && lv[1].ext[1] > 1) { o[1] = 1; r[1] -= 1; }
    o[li] = 1;
    snprintf(name, sizeof name, "mip-%s-level1-box", tname);
    check_copy(name, &lv[1], o, r, 0);
  }
  /* "If the mip level specified is not a valid value, these functions
   * return the error CL_INVALID_MIP_LEVEL." */
  {
    cl_mem buf = mk_buffer(env.context, 0, 4096, NULL);
    size_t o[4] = {0, 0, 0, 0};
    o[li] = L;
    snprintf(name, sizeof name, "err-mip-%s-level-past-count", tname);
    EXPECT_CODE(name, copy(env.queue, img, buf, o, R3(1, 1, 1), 0), CL_INVALID_MIP_LEVEL);
    /* The box must lie inside the level: level 1 is half as wide
     * (CL_INVALID_VALUE "refers to a region outside src_image"). */
    o[li] = 1;
    snprintf(name, sizeof name, "err-mip-%s-outside-level", tname);
    EXPECT_CODE(name, copy(env.queue, img, buf, o, R3(lv[1].ext[0] + 1, 1, 1), 0), CL_INVALID_VALUE);
    /* The companion: a buffer copied into level 1 comes back from level 1,
     * and level 0 keeps its bytes. */
    unsigned char *src = xmalloc(model_bytes(&lv[1]));
    fill_pattern(src, model_bytes(&lv[1]), 0x6F0);
    write_buf(env.queue, buf, 0, model_bytes(&lv[1]), src);
    cl_int err = clEnqueueCopyBufferToImage(env.queue, buf, img, 0, o, lv[1].ext, 0, NULL, NULL);
    MUST(clFinish(env.queue));
    snprintf(name, sizeof name, "mip-%s-roundtrip-level1", tname);
    if (err != CL_SUCCESS) {
      EXPECT_CODE(name, err, CL_SUCCESS);
    } else {
      memcpy(lv[1].data, src, model_bytes(&lv[1]));
      check_copy(name, &lv[1], o, lv[1].ext, 0);
      o[li] = 0;
      snprintf(name, sizeof name, "mip-%s-roundtrip-level0-kept", tname);
      check_copy(name, &lv[0], o, lv[0].ext, 0);
    }
    free(src);
    MUST(clReleaseMemObject(buf));
  }
  for (cl_uint l = 0; l < L; l++) free(lv[l].data);
  MUST(clReleaseMemObject(img));
}

/* cl_khr_mipmap_image: "calls to clEnqueueCopyImage,
 * clEnqueueCopyImageToBuffer, and clEnqueueCopyBufferToImage can also be
 * used to copy from and to a specific mip-level of a mip-mapped image. If
 * src_image argument is a 1D image, src_origin[1] specifies the mip-level
 * to use. If src_image argument is a 1D image array, src_origin[2]
 * specifies the mip-level to use. If src_image argument is a 2D image,
 * src_origin[3] specifies the mip-level to use. If src_image argument is a
 * 2D image array or a 3D image, src_origin[3] specifies the mip-level to
 * use." The 2D image's level rides in src_origin[2] (the extension's text;
 * docs/opencl.md, "Sentences interpreted"). */
static void test_mip_levels(void) {
  if (!has_mipmap) {
    printf("note: no cl_khr_mipmap_image; mip-level checks skipped\n");
    return;
  }
  mip_case("1d", CL_MEM_OBJECT_IMAGE1D, 32, 0, 0, 0, 6, 1);
  mip_case("1d-array", CL_MEM_OBJECT_IMAGE1D_ARRAY, 16, 0, 0, 3, 5, 2);
  mip_case("2d", CL_MEM_OBJECT_IMAGE2D, 16, 8, 0, 0, 5, 2);
  mip_case("2d-array", CL_MEM_OBJECT_IMAGE2D_ARRAY, 8, 8, 0, 3, 4, 3);
  mip_case("3d", CL_MEM_OBJECT_IMAGE3D, 16, 8, 4, 0, 3, 3);
}

/* ---------- checks in a child process ---------- */

typedef outcome (*child_fn)(int which);

/* Runs fn(which) in a child with its own OpenCL set-up (the parent has not
 * opened OpenCL yet) and reports its outcome; a child that dies or does not
 * answer within CHILD_SECONDS fails the check. */
typedef struct { child_fn fn; int which; } child_call;

static void child_body(const void *arg, void *out) {
  const child_call *c = arg;
  env = open_env();
  *(outcome *)out = c->fn(c->which);
}

static void isolated(const char *name, child_fn fn, int which, cl_int want) {
  child_call call = {fn, which};
  outcome o;
  int status;
  if (run_in_child(child_body, &call, &o, sizeof o, &status))
    report(name, o, want);
  else
    REPORT_CHILD_WITHOUT_RESULT(name, status, want);
}

static size_t type_index(cl_mem_object_type ty) {
  for (size_t i = 0; i < NTYPES; i++)
    if (TYPES[i].type == ty) return i;
  return 0;
}

/* The data checks of a 1D image buffer (as for the other types). */
enum { B1_FORMAT = 10, B1_ROUNDTRIP = 20 };
static outcome child_1d_buffer_data(int which) {
  size_t ti = type_index(CL_MEM_OBJECT_IMAGE1D_BUFFER);
  if (which >= B1_ROUNDTRIP) return roundtrip_case(ti, which - B1_ROUNDTRIP);
  if (which >= B1_FORMAT) return format_case((size_t)(which - B1_FORMAT), ti);
  return data_case(ti, which, RGBA8, 4, 0x100 + (uint32_t)ti);
}

/* Single calls with a 1D image buffer (RGBA8, w pixels over a buffer of its
 * own): into another buffer, into the buffer it was created from, or as the
 * destination of a 2D image's copy. */
enum { DST_OTHER, DST_BACKING, DST_IS_THE_IMAGE };
static const struct {
  const char *name;
  size_t w, o[4], r[3], off, dst_size;
  int dst;
  cl_int want;
} B1[] = {
  /* "... or if src_image is a 1D image buffer object created from
   * dst_buffer." */
  {"err-invalid-mem-object-image-from-dst-buffer", 256, {0, 0, 0, 0}, {4, 1, 1}, 2048, 4096,
   DST_BACKING, CL_INVALID_MEM_OBJECT},
  /* From another buffer it is fine. */
  {"ok-1d-buffer-image-to-other-buffer", 256, {0, 0, 0, 0}, {4, 1, 1}, 0, 1024, DST_OTHER,
   CL_SUCCESS},
  /* "... or dst_buffer is not a valid buffer object": a 1D image buffer is
   * an image. */
  {"err-invalid-mem-object-1d-buffer-image-as-buffer", 256, {0, 0, 0, 0}, {1, 1, 1}, 0, 0,
   DST_IS_THE_IMAGE, CL_INVALID_MEM_OBJECT},
  /* "CL_INVALID_VALUE if the 1D, 2D, or 3D rectangular region specified by
   * src_origin and src_origin + region refers to a region outside
   * src_image" */
  {"err-outside-1d-buffer-width", 64, {1, 0, 0, 0}, {64, 1, 1}, 0, 1024, DST_OTHER,
   CL_INVALID_VALUE},
  /* "... is computed as width * bytes/image element if src_image is a 1D
   * image or 1D image buffer object" (512 bytes in a 4096-byte buffer). */
  {"ok-dst-cb-1d-buffer-exact-end", 128, {0, 0, 0, 0}, {128, 1, 1}, 4096 - 512, 4096, DST_OTHER,
   CL_SUCCESS},
  {"err-dst-cb-1d-buffer-one-past", 128, {0, 0, 0, 0}, {128, 1, 1}, 4096 - 511, 4096, DST_OTHER,
   CL_INVALID_VALUE},
  /* "If src_image is a 1D image or 1D image buffer object, src_origin[1]
   * and src_origin[2] must be 0." "If src_image is a 1D image or 1D image
   * buffer object, region[1] and region[2] must be 1." */
  {"ok-1d-buffer-rules", 64, {1, 0, 0, 0}, {3, 1, 1}, 0, 4096, DST_OTHER, CL_SUCCESS},
  {"err-1d-buffer-origin1-nonzero", 64, {1, 1, 0, 0}, {3, 1, 1}, 0, 4096, DST_OTHER,
   CL_INVALID_VALUE},
  {"err-1d-buffer-origin2-nonzero", 64, {1, 0, 1, 0}, {3, 1, 1}, 0, 4096, DST_OTHER,
   CL_INVALID_VALUE},
  {"err-1d-buffer-region1-not-1", 64, {1, 0, 0, 0}, {3, 2, 1}, 0, 4096, DST_OTHER,
   CL_INVALID_VALUE},
  {"err-1d-buffer-region2-not-1", 64, {1, 0, 0, 0}, {3, 1, 2}, 0, 4096, DST_OTHER,
   CL_INVALID_VALUE},
};
#define NB1 (sizeof B1 / sizeof B1[0])

static outcome child_1d_buffer_call(int which) {
  cl_context ctx = env.context;
  size_t bk_size = B1[which].w * 4;
  if (B1[which].dst == DST_BACKING && B1[which].dst_size > bk_size) bk_size = B1[which].dst_size;
  cl_mem bk = mk_buffer(ctx, 0, bk_size, NULL);
  cl_mem img = mk_image_ex(ctx, 0, RGBA8, CL_MEM_OBJECT_IMAGE1D_BUFFER, B1[which].w, 0, 0, 0, 0,
                           bk, NULL, NULL);
  cl_int err;
  if (B1[which].dst == DST_IS_THE_IMAGE) {
    cl_mem src = mk_image(ctx, RGBA8, CL_MEM_OBJECT_IMAGE2D, 16, 8, 0, 0, 0);
    err = copy(env.queue, src, img, B1[which].o, B1[which].r, B1[which].off);
  } else {
    cl_mem dst = B1[which].dst == DST_BACKING ? bk : mk_buffer(ctx, 0, B1[which].dst_size, NULL);
    err = copy(env.queue, img, dst, B1[which].o, B1[which].r, B1[which].off);
  }
  MUST(clFinish(env.queue));
  return out_code(err);
}

/* Handles that are NULL, released or of another kind. */
enum { H_QUEUE_OTHER_OBJECT, H_QUEUE_RELEASED, H_MEM_NULL_BUFFER, H_MEM_QUEUE_AS_IMAGE,
       H_MEM_RELEASED_BUFFER,
       H_MEM_RELEASED_IMAGE, H_EVENT_NOT_AN_EVENT, H_EVENT_RELEASED };
static outcome child_bad_handle(int which) {
  cl_context ctx = env.context;
  cl_command_queue q = env.queue;
  cl_mem img = mk_image(ctx, RGBA8, CL_MEM_OBJECT_IMAGE2D, 16, 8, 0, 0, 0);
  cl_mem buf = mk_buffer(ctx, 0, 1024, NULL);
  const size_t *o0 = O4(0, 0, 0, 0), *r1 = R3(1, 1, 1);
  cl_int err = CL_SUCCESS;
  switch (which) {
    case H_QUEUE_OTHER_OBJECT:
      return out_code(copy((cl_command_queue)(void *)buf, img, buf, o0, r1, 0));
    case H_QUEUE_RELEASED: {
      cl_command_queue gone = clCreateCommandQueueWithProperties(ctx, env.device, NULL, &err);
      MUST(err);
      MUST(clReleaseCommandQueue(gone));
      return out_code(copy(gone, img, buf, o0, r1, 0));
    }
    case H_MEM_NULL_BUFFER:
      return out_code(copy(q, img, NULL, o0, r1, 0));
    case H_MEM_QUEUE_AS_IMAGE:
      return out_code(copy(q, (cl_mem)(void *)q, buf, o0, r1, 0));
    case H_MEM_RELEASED_BUFFER: {
      cl_mem gone = mk_buffer(ctx, 0, 64, NULL);
      MUST(clReleaseMemObject(gone));
      return out_code(copy(q, img, gone, o0, r1, 0));
    }
    case H_MEM_RELEASED_IMAGE: {
      cl_mem gone = mk_image(ctx, RGBA8, CL_MEM_OBJECT_IMAGE2D, 4, 4, 0, 0, 0);
      MUST(clReleaseMemObject(gone));
      return out_code(copy(q, gone, buf, o0, r1, 0));
    }
    case H_EVENT_NOT_AN_EVENT: {
      cl_event ue = user_event(ctx);
      cl_event list[2] = {ue, (cl_event)(void *)buf};
      err = clEnqueueCopyImageToBuffer(q, img, buf, o0, r1, 0, 2, list, NULL);
      MUST(clSetUserEventStatus(ue, CL_COMPLETE));
      return out_code(err);
    }
    default: {
      cl_event ue = user_event(ctx), gone = user_event(ctx);
      MUST(clSetUserEventStatus(gone, CL_COMPLETE));
      MUST(clReleaseEvent(gone));
      cl_event list[2] = {ue, gone};
      err = clEnqueueCopyImageToBuffer(q, img, buf, o0, r1, 0, 2, list, NULL);
      MUST(clSetUserEventStatus(ue, CL_COMPLETE));
      return out_code(err);
    }
  }
}

/* A copy whose wait list holds a user event set to an error. */
enum { FW_ENQUEUE, FW_WAIT, FW_STATUS, FW_WRITES_NOTHING };
static outcome child_failed_wait(int which) {
  cl_context ctx = env.context;
  cl_command_queue q = env.queue;
  cl_int err;
  cl_command_queue q2 = clCreateCommandQueueWithProperties(ctx, env.device, NULL, &err);
  MUST(err);
  cl_mem img = mk_image(ctx, RGBA8, CL_MEM_OBJECT_IMAGE2D, 16, 8, 0, 0, 0);
  model m = model_new(img, 16, 8, 1, 4, 31);
  model_write_all(q, &m, O4(0, 0, 0, 0));
  cl_mem buf = mk_buffer(ctx, 0, 64, NULL);
  unsigned char zero[64] = {0}, got[64];
  write_buf(q, buf, 0, 64, zero);
  cl_event bad = user_event(ctx), ev = NULL;
  err = clEnqueueCopyImageToBuffer(q, img, buf, O4(4, 0, 0, 0), R3(4, 1, 1), 32, 1, &bad, &ev);
  if (which == FW_ENQUEUE || err != CL_SUCCESS) return out_code(err);
  MUST(clFlush(q));
  MUST(clSetUserEventStatus(bad, -77));
  if (which == FW_WAIT) return out_code(clWaitForEvents(1, &ev));
  if (which == FW_STATUS) {
    /* The status settles once the queue has seen the failed event. */
    cl_int st = event_status(ev);
    for (int i = 0; i < 200 && st > 0; i++) {
      sleep_ms(10);
      st = event_status(ev);
    }
    outcome o = {OUT_NEGATIVE, CL_SUCCESS, st, 0};
    return o;
  }
  (void)clWaitForEvents(1, &ev);
  read_buf(q2, buf, 0, 64, got);
  outcome o = {OUT_DATA, CL_SUCCESS, first_diff(got, zero, 64), 64};
  return o;
}

/* An aligned sub-buffer as dst_buffer (PoCL 3.1 crashes here). */
enum { SB_DATA, SB_EXACT_END, SB_ONE_PAST };
static outcome child_sub_buffer(int which) {
  cl_command_queue q = env.queue;
  cl_uint bits = 0;
  MUST(clGetDeviceInfo(env.device, CL_DEVICE_MEM_BASE_ADDR_ALIGN, sizeof bits, &bits, NULL));
  size_t align = bits / 8;
  cl_mem backing = NULL;
  model m = make_case(&TYPES[type_index(CL_MEM_OBJECT_IMAGE2D)], RGBA8, 4, 0x300, &backing);
  size_t psize = 3 * align + 4096;
  cl_mem parent = mk_buffer(env.context, 0, psize, NULL);
  unsigned char *guard = xmalloc(psize), *want = xmalloc(psize), *got = xmalloc(psize);
  fill_pattern(guard, psize, 0x5B);
  write_buf(q, parent, 0, psize, guard);
  cl_buffer_region reg = {align, 2048};
  cl_int err;
  cl_mem sub = clCreateSubBuffer(parent, 0, CL_BUFFER_CREATE_TYPE_REGION, &reg, &err);
  MUST(err);
  const size_t r[3] = {16, 3, 1}; /* 192 bytes */
  if (which == SB_EXACT_END) return out_code(copy(q, m.mem, sub, O4(4, 9, 0, 0), r, 2048 - 192));
  if (which == SB_ONE_PAST) return out_code(copy(q, m.mem, sub, O4(4, 9, 0, 0), r, 2048 - 191));
  outcome o = {OUT_DATA, copy(q, m.mem, sub, O4(4, 9, 0, 0), r, 12), 0, (long long)psize};
  memcpy(want, guard, psize);
  model_box(&m, O4(4, 9, 0, 0), r, want + align + 12);
  if (o.code == CL_SUCCESS) {
    read_buf(q, parent, 0, psize, got);
    o.a = first_diff(got, want, psize);
  }
  return o;
}

static void isolated_checks(void) {
  char name[64];
  /* The 1D image buffer's data checks (see test_data_per_type,
   * test_formats, test_round_trips for the sentences). */
  for (int box = BOX_REGION; box <= BOX_LAST_PIXEL; box++) {
    snprintf(name, sizeof name, "data-1d-buffer-%s", BOX_NAMES[box]);
    isolated(name, child_1d_buffer_data, box, CL_SUCCESS);
  }
  size_t ti = type_index(CL_MEM_OBJECT_IMAGE1D_BUFFER);
  for (size_t fi = 0; fi < NFORMATS; fi++) {
    if (!format_on_type(fi, ti)) continue;
    snprintf(name, sizeof name, "data-1d-buffer-%s", F[fi].name);
    isolated(name, child_1d_buffer_data, B1_FORMAT + (int)fi, CL_SUCCESS);
  }
  isolated("roundtrip-1d-buffer-whole", child_1d_buffer_data, B1_ROUNDTRIP, CL_SUCCESS);
  isolated("roundtrip-1d-buffer-box", child_1d_buffer_data, B1_ROUNDTRIP + 1, CL_SUCCESS);
  for (size_t i = 0; i < NB1; i++) isolated(B1[i].name, child_1d_buffer_call, (int)i, B1[i].want);

  /* A sub-buffer as dst_buffer: "dst_offset: Refers to the offset where to
   * begin copying data into dst_buffer": the bytes land at the
   * sub-buffer's origin + dst_offset in its buffer, nothing else changes. */
  isolated("data-dst-sub-buffer", child_sub_buffer, SB_DATA, CL_SUCCESS);
  /* "CL_INVALID_VALUE if ... the region specified by dst_offset and
   * dst_offset + dst_cb refers to a region outside dst_buffer": the
   * sub-buffer's size bounds it, not its buffer's. */
  isolated("ok-sub-buffer-exact-end", child_sub_buffer, SB_EXACT_END, CL_SUCCESS);
  isolated("err-outside-sub-buffer", child_sub_buffer, SB_ONE_PAST, CL_INVALID_VALUE);

  /* "CL_INVALID_COMMAND_QUEUE if command_queue is not a valid host
   * command-queue." A handle of another kind, and a released queue. */
  isolated("err-invalid-command-queue-other-object", child_bad_handle, H_QUEUE_OTHER_OBJECT,
           CL_INVALID_COMMAND_QUEUE);
  isolated("err-invalid-command-queue-released", child_bad_handle, H_QUEUE_RELEASED,
           CL_INVALID_COMMAND_QUEUE);
  /* "CL_INVALID_MEM_OBJECT if src_image is not a valid image object or
   * dst_buffer is not a valid buffer object" */
  isolated("err-invalid-mem-object-null-buffer", child_bad_handle, H_MEM_NULL_BUFFER,
           CL_INVALID_MEM_OBJECT);
  isolated("err-invalid-mem-object-queue-as-image", child_bad_handle, H_MEM_QUEUE_AS_IMAGE,
           CL_INVALID_MEM_OBJECT);
  isolated("err-invalid-mem-object-released-buffer", child_bad_handle, H_MEM_RELEASED_BUFFER,
           CL_INVALID_MEM_OBJECT);
  isolated("err-invalid-mem-object-released-image", child_bad_handle, H_MEM_RELEASED_IMAGE,
           CL_INVALID_MEM_OBJECT);
  /* "CL_INVALID_EVENT_WAIT_LIST if ... event objects in event_wait_list are
   * not valid events." */
  isolated("err-wait-list-not-an-event", child_bad_handle, H_EVENT_NOT_AN_EVENT,
           CL_INVALID_EVENT_WAIT_LIST);
  isolated("err-wait-list-released-event", child_bad_handle, H_EVENT_RELEASED,
           CL_INVALID_EVENT_WAIT_LIST);

  /* "Specify events that need to complete before this particular command
   * can be executed." A wait-list event that failed: the copy does not run,
   * its event reports an error and clWaitForEvents returns
   * CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST (clWaitForEvents: "if the
   * execution status of any of the events in event_list is a negative
   * integer value"), as in the Rust test. */
  isolated("failed-wait-list-enqueue", child_failed_wait, FW_ENQUEUE, CL_SUCCESS);
  isolated("failed-wait-list-wait", child_failed_wait, FW_WAIT,
           CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
  isolated("failed-wait-list-status-negative", child_failed_wait, FW_STATUS, CL_SUCCESS);
  isolated("failed-wait-list-writes-nothing", child_failed_wait, FW_WRITES_NOTHING, CL_SUCCESS);
}

int main(void) {
  isolated_checks(); /* before this process opens OpenCL */
  env = open_env();
  size_t ext_size = 0;
  MUST(clGetDeviceInfo(env.device, CL_DEVICE_EXTENSIONS, 0, NULL, &ext_size));
  char *ext = (char *)xmalloc(ext_size + 1);
  MUST(clGetDeviceInfo(env.device, CL_DEVICE_EXTENSIONS, ext_size, ext, NULL));
  ext[ext_size] = 0;
  has_mipmap = strstr(ext, "cl_khr_mipmap_image") != NULL;
  free(ext);
  cl_uint bits = 0;
  MUST(clGetDeviceInfo(env.device, CL_DEVICE_MEM_BASE_ADDR_ALIGN, sizeof bits, &bits, NULL));
  base_align_bytes = bits / 8;

  test_success_2d_event();
  test_data_per_type();
  test_formats();
  test_storage_kinds();
  test_round_trips();
  test_wait_lists();
  test_errors();
  test_mip_levels();

  close_env(&env);
  return summary();
}
