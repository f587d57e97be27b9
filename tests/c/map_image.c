/* clEnqueueMapImage (with clEnqueueUnmapMemObject) through the ICD loader:
 * one check per sentence of the reference page's parameter rules, notes and
 * error list that the API can provoke (/work/shared/spec/clEnqueueMapImage.md,
 * interpretations in docs/opencl.md "Sentences interpreted"; the Rust twin is
 * tests/tests/cl_map_image.rs). Khronos headers only. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static cl_env env;
static cl_command_queue q;
static cl_context ctx;
static const cl_image_format RGBA8 = {CL_RGBA, CL_UNSIGNED_INT8};
#define PX 4 /* bytes per RGBA8 pixel */

/* Maps refused with a code that still returned a pointer ("A NULL pointer is
 * returned otherwise"); checked once at the end. */
static int nonnull_on_error;

/* ---------------------------------------------------------------- helpers */

static cl_image_desc mkdesc(cl_mem_object_type t, size_t w, size_t h, size_t d, size_t layers,
                            cl_uint levels) {
  cl_image_desc desc;
  memset(&desc, 0, sizeof desc);
  desc.image_type = t;
  desc.image_width = w;
  desc.image_height = h;
  desc.image_depth = d;
  desc.image_array_size = layers;
  desc.num_mip_levels = levels;
  return desc;
}

static cl_mem image_on(cl_context c, cl_mem_flags flags, const cl_image_desc *d) {
  cl_int err;
  cl_mem m = clCreateImage(c, flags, &RGBA8, d, NULL, &err);
  MUST(err);
  return m;
}

static cl_mem image(cl_mem_flags flags, const cl_image_desc *d) { return image_on(ctx, flags, d); }

static cl_mem image2d(size_t w, size_t h) {
  cl_image_desc d = mkdesc(CL_MEM_OBJECT_IMAGE2D, w, h, 0, 0, 0);
  return image(0, &d);
}

static cl_mem buffer(size_t n) {
  cl_int err;
  cl_mem m = clCreateBuffer(ctx, CL_MEM_READ_WRITE, n, NULL, &err);
  MUST(err);
  return m;
}

/* Packed data into / out of a box (blocking, pitches computed). */
static void write_box(cl_mem img, const size_t *origin, const size_t *region, const void *data) {
  MUST(clEnqueueWriteImage(q, img, CL_TRUE, origin, region, 0, 0, data, 0, NULL, NULL));
}

static void read_box(cl_mem img, const size_t *origin, const size_t *region, void *data) {
  MUST(clEnqueueReadImage(q, img, CL_TRUE, origin, region, 0, 0, data, 0, NULL, NULL));
}

/* A blocking map; the pitch pointers are passed as given. */
static unsigned char *map_on(cl_command_queue queue, cl_mem img, cl_map_flags f, const size_t *origin,
                             const size_t *region, size_t *rp, size_t *sp, cl_int *err) {
  *err = 12345;
  void *p = clEnqueueMapImage(queue, img, CL_TRUE, f, origin, region, rp, sp, 0, NULL, NULL, err);
  if (*err != CL_SUCCESS && p != NULL) nonnull_on_error++;
  return p;
}

static unsigned char *map(cl_mem img, cl_map_flags f, const size_t *origin, const size_t *region,
                          size_t *rp, size_t *sp, cl_int *err) {
  return map_on(q, img, f, origin, region, rp, sp, err);
}

static void unmap(cl_mem img, void *p) {
  MUST(clEnqueueUnmapMemObject(q, img, p, 0, NULL, NULL));
  MUST(clFinish(q));
}

static cl_uint map_count(cl_mem m) {
  cl_uint n = 0xdead;
  MUST(clFinish(q));
  MUST(clGetMemObjectInfo(m, CL_MEM_MAP_COUNT, sizeof n, &n, NULL));
  return n;
}

/* A map that must be refused with `want`; an unexpected success is undone. */
static void expect_map_err_full(const char *name, cl_command_queue queue, cl_mem img, cl_bool blocking,
                                cl_map_flags f, const size_t *origin, const size_t *region, size_t *rp,
                                size_t *sp, cl_uint n, const cl_event *list, cl_int want) {
  cl_int err = 12345;
  void *p = clEnqueueMapImage(queue, img, blocking, f, origin, region, rp, sp, n, list, NULL, &err);
  EXPECT_CODE(name, err, want);
  if (err != CL_SUCCESS && p != NULL) nonnull_on_error++;
  if (err == CL_SUCCESS && p != NULL) {
    clEnqueueUnmapMemObject(queue, img, p, 0, NULL, NULL);
    clFinish(queue);
  }
}

static void expect_map_err(const char *name, cl_mem img, cl_map_flags f, const size_t *origin,
                           const size_t *region, cl_int want) {
  size_t rp = 0, sp = 0;
  expect_map_err_full(name, q, img, CL_TRUE, f, origin, region, &rp, &sp, 0, NULL, want);
}

/* The box (origin, region) of packed contents w × h per slice (a 1D array's
 * layers are its rows; a 2D array's layers and a 3D image's planes are its
 * slices). */
static void cut(unsigned char *out, const unsigned char *data, size_t w, size_t h, const size_t *o,
                const size_t *r) {
  for (size_t z = 0; z < r[2]; z++)
    for (size_t y = 0; y < r[1]; y++) {
      memcpy(out, data + (((o[2] + z) * h + o[1] + y) * w + o[0]) * PX, r[0] * PX);
      out += r[0] * PX;
    }
}

/* The inverse: packed box bytes into full contents. */
static void paste(unsigned char *data, const unsigned char *box, size_t w, size_t h, const size_t *o,
                  const size_t *r) {
  for (size_t z = 0; z < r[2]; z++)
    for (size_t y = 0; y < r[1]; y++) {
      memcpy(data + (((o[2] + z) * h + o[1] + y) * w + o[0]) * PX, box, r[0] * PX);
      box += r[0] * PX;
    }
}

/* Bytes of a mapped box read at the returned pitches: `row` bytes per row,
 * rows `rstride` apart, slices `sstride` apart. */
static void gather(unsigned char *out, const unsigned char *p, size_t row, size_t rows, size_t slices,
                   size_t rstride, size_t sstride) {
  for (size_t z = 0; z < slices; z++)
    for (size_t y = 0; y < rows; y++) {
      memcpy(out, p + z * sstride + y * rstride, row);
      out += row;
    }
}

/* The inverse: packed bytes into a mapped box. */
static void scatter(unsigned char *p, const unsigned char *in, size_t row, size_t rows, size_t slices,
                    size_t rstride, size_t sstride) {
  for (size_t z = 0; z < slices; z++)
    for (size_t y = 0; y < rows; y++) {
      memcpy(p + z * sstride + y * rstride, in, row);
      in += row;
    }
}

/* Numbers compared, both shown on failure. */
static void expect_eq(const char *name, long long got, long long want) {
  check(name, got == want, "got %lld, the spec says %lld", got, want);
}
static void expect_at_least(const char *name, long long got, long long min) {
  check(name, got >= min, "got %lld, the spec needs at least %lld", got, min);
}

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* Calls that may end or stall the process in an implementation that does not
 * check them (a handle of the wrong kind or released, a blocking map behind a
 * failed event, a mipmapped image without the extension) run in a child
 * process with its own OpenCL set-up, forked before the parent opens OpenCL;
 * the child sends back the code. A child that dies or does not answer within
 * CHILD_SECONDS is a FAIL. */
static cl_env quiet_env(void) {
  cl_env e;
  cl_int err;
  MUST(clGetPlatformIDs(1, &e.platform, NULL));
  MUST(clGetDeviceIDs(e.platform, CL_DEVICE_TYPE_ALL, 1, &e.device, NULL));
  e.context = clCreateContext(NULL, 1, &e.device, NULL, NULL, &err);
  MUST(err);
  e.queue = clCreateCommandQueueWithProperties(e.context, e.device, NULL, &err);
  MUST(err);
  return e;
}

typedef struct { cl_int (*fn)(void); } child_call;

static void child_body(const void *arg, void *out) {
  *(cl_int *)out = ((const child_call *)arg)->fn();
}

static void expect_code_isolated(const char *name, cl_int (*fn)(void), cl_int want) {
  child_call call = {fn};
  cl_int c = 0;
  int status;
  if (run_in_child(child_body, &call, &c, sizeof c, &status))
    EXPECT_CODE(name, c, want);
  else
    REPORT_CHILD_WITHOUT_RESULT(name, status, want);
}

static const size_t ZERO[4] = {0, 0, 0, 0};
static const size_t ONE[3] = {1, 1, 1};

/* The 32×16 2D image most checks use, with known contents. */
#define W2 32
#define H2 16
static unsigned char data2d[W2 * H2 * PX];
static cl_mem setup2d(void) {
  cl_mem img = image2d(W2, H2);
  fill_pattern(data2d, sizeof data2d, 31);
  const size_t r[3] = {W2, H2, 1};
  write_box(img, ZERO, r, data2d);
  return img;
}

/* ------------------------------------------------------------------ tests */

static void device_supports_images(void) {
  /* "CL_INVALID_OPERATION if the device associated with command_queue does
   * not support images (i.e. CL_DEVICE_IMAGE_SUPPORT ... is CL_FALSE)."
   * Cannot be provoked on a device that supports images: check it does. */
  cl_bool yes = CL_FALSE;
  MUST(clGetDeviceInfo(env.device, CL_DEVICE_IMAGE_SUPPORT, sizeof yes, &yes, NULL));
  EXPECT_TRUE("device-image-support", yes == CL_TRUE);
}

static void map_read_2d(void) {
  cl_mem img = setup2d();
  /* "The initial mapped count value of a memory object is zero." */
  expect_eq("map-count-initial-zero", map_count(img), 0);

  const size_t o[3] = {5, 3, 0}, r[3] = {7, 4, 1};
  size_t rp = 0, sp = 777;
  cl_int err;
  unsigned char *p = map(img, CL_MAP_READ, o, r, &rp, &sp, &err);
  /* "clEnqueueMapImage will return a pointer to the mapped region. The
   * errcode_ret is set to CL_SUCCESS." */
  EXPECT_CODE("map-read-2d", err, CL_SUCCESS);
  EXPECT_TRUE("map-read-2d-pointer", p != NULL);
  if (!p) {
    MUST(clReleaseMemObject(img));
    return;
  }
  /* "image_row_pitch Returns the scan-line pitch in bytes for the mapped
   * region." */
  expect_at_least("map-read-2d-row-pitch", (long long)rp, (long long)(r[0] * PX));
  /* "For a 1D and 2D image, zero is returned if this argument is not NULL." */
  expect_eq("map-read-2d-slice-pitch-zero", (long long)sp, 0);
  /* CL_MAP_READ: "The pointer returned by clEnqueueMap{Buffer|Image} is
   * guaranteed to contain the latest bits in the region being mapped when the
   * clEnqueueMap{Buffer|Image} command has completed." */
  unsigned char got[7 * 4 * PX], want[7 * 4 * PX];
  gather(got, p, r[0] * PX, r[1], 1, rp, 0);
  cut(want, data2d, W2, H2, o, r);
  expect_bytes("map-read-2d-data", got, want, sizeof want);
  /* "clEnqueueMapBuffer and clEnqueueMapImage increment the mapped count of
   * the memory object." */
  expect_eq("map-count-one", map_count(img), 1);

  /* "Multiple commands in command-queues can map a region or overlapping
   * regions of a memory object ... for reading (i.e. map_flags =
   * CL_MAP_READ)." */
  const size_t o2[3] = {4, 2, 0}, r2[3] = {8, 8, 1};
  size_t rp2 = 0, sp2 = 0;
  unsigned char *p2 = map(img, CL_MAP_READ, o2, r2, &rp2, &sp2, &err);
  EXPECT_CODE("overlap-read-read", err, CL_SUCCESS);
  /* "Multiple calls to clEnqueueMapBuffer or clEnqueueMapImage on the same
   * memory object will increment this mapped count by appropriate number of
   * calls." */
  expect_eq("map-count-two", map_count(img), 2);

  /* "The contents of the regions of a memory object mapped for reading can
   * also be read by ... other OpenCL commands ... executing on a device(s)." */
  unsigned char all[sizeof data2d];
  const size_t whole[3] = {W2, H2, 1};
  memset(all, 0, sizeof all);
  read_box(img, ZERO, whole, all);
  expect_bytes("read-image-while-mapped-for-read", all, data2d, sizeof all);

  /* "clEnqueueUnmapMemObject decrements the mapped count of the memory
   * object." */
  EXPECT_CODE("unmap-read-2d", clEnqueueUnmapMemObject(q, img, p, 0, NULL, NULL), CL_SUCCESS);
  expect_eq("map-count-after-unmap", map_count(img), p2 ? 1 : 0);
  if (p2) unmap(img, p2);
  expect_eq("map-count-back-to-zero", map_count(img), 0);

  /* "clEnqueueMapBuffer and clEnqueueMapImage act as synchronization points
   * for a region of the buffer object being mapped": a non-blocking write
   * enqueued before a blocking map is in the mapped bits. */
  static unsigned char fresh[4 * 4 * PX];
  fill_pattern(fresh, sizeof fresh, 32);
  const size_t fo[3] = {8, 8, 0}, fr[3] = {4, 4, 1};
  MUST(clEnqueueWriteImage(q, img, CL_FALSE, fo, fr, 0, 0, fresh, 0, NULL, NULL));
  paste(data2d, fresh, W2, H2, fo, fr);
  const size_t o3[3] = {6, 6, 0}, r3[3] = {8, 8, 1};
  p = map(img, CL_MAP_READ, o3, r3, &rp, NULL, &err);
  if (p) {
    unsigned char g3[8 * 8 * PX], w3[8 * 8 * PX];
    gather(g3, p, r3[0] * PX, r3[1], 1, rp, 0);
    cut(w3, data2d, W2, H2, o3, r3);
    expect_bytes("map-read-latest-bits", g3, w3, sizeof w3);
    unmap(img, p);
  } else {
    EXPECT_CODE("map-read-latest-bits", err, CL_SUCCESS);
  }
  MUST(clReleaseMemObject(img));
}

/* Maps for writing: the host's bytes reach the image at the unmap; the rest
 * of the image is unchanged. */
static void map_write_2d(void) {
  cl_mem img = setup2d();
  const size_t whole[3] = {W2, H2, 1};
  const size_t o[3] = {30, 10, 0}, r[3] = {2, 6, 1};
  struct {
    cl_map_flags flags;
    const char *map_name, *latest_name, *reach_name;
  } cases[] = {
      /* CL_MAP_WRITE: "This flag specifies that the region being mapped in the
       * memory object is being mapped for writing. The pointer returned ... is
       * guaranteed to contain the latest bits in the region being mapped when
       * the ... command has completed." */
      {CL_MAP_WRITE, "map-write-2d", "map-write-2d-latest-bits", "map-write-2d-reaches-image"},
      /* CL_MAP_WRITE_INVALIDATE_REGION: "This flag specifies that the region
       * being mapped in the memory object is being mapped for writing. The
       * contents of the region being mapped are to be discarded." */
      {CL_MAP_WRITE_INVALIDATE_REGION, "map-invalidate-2d", NULL, "map-invalidate-2d-reaches-image"},
      /* CL_MAP_READ | CL_MAP_WRITE: both promises at once. */
      {CL_MAP_READ | CL_MAP_WRITE, "map-read-write-2d", "map-read-write-2d-latest-bits",
       "map-read-write-2d-reaches-image"},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    size_t rp = 0;
    cl_int err;
    unsigned char *p = map(img, cases[c].flags, o, r, &rp, NULL, &err);
    EXPECT_CODE(cases[c].map_name, err, CL_SUCCESS);
    if (!p) continue;
    unsigned char box[2 * 6 * PX], want_box[2 * 6 * PX];
    if (cases[c].latest_name) {
      gather(box, p, r[0] * PX, r[1], 1, rp, 0);
      cut(want_box, data2d, W2, H2, o, r);
      expect_bytes(cases[c].latest_name, box, want_box, sizeof box);
    }
    fill_pattern(box, sizeof box, 100 + (uint32_t)c);
    scatter(p, box, r[0] * PX, r[1], 1, rp, 0);
    unmap(img, p);
    unsigned char want[sizeof data2d], got[sizeof data2d];
    memcpy(want, data2d, sizeof want);
    paste(want, box, W2, H2, o, r);
    read_box(img, ZERO, whole, got);
    expect_bytes(cases[c].reach_name, got, want, sizeof got);
    write_box(img, ZERO, whole, data2d);
  }

  /* "errcode_ret Returns an appropriate error code. If errcode_ret is NULL,
   * no error code is returned." */
  size_t rp = 0;
  void *p = clEnqueueMapImage(q, img, CL_TRUE, CL_MAP_READ, ZERO, ONE, &rp, NULL, 0, NULL, NULL, NULL);
  EXPECT_TRUE("errcode-ret-null-success", p != NULL);
  if (p) unmap(img, p);
  const size_t zero_region[3] = {0, 1, 1};
  p = clEnqueueMapImage(q, img, CL_TRUE, CL_MAP_READ, ZERO, zero_region, &rp, NULL, 0, NULL, NULL, NULL);
  /* "A NULL pointer is returned otherwise" */
  EXPECT_TRUE("errcode-ret-null-error", p == NULL);
  if (p) unmap(img, p);
  MUST(clReleaseMemObject(img));
}

/* Every image type: the map returns the box at its pitches, and a write map
 * reaches the image. */
static void every_image_type(void) {
  cl_int err;
  cl_mem backing = buffer(64 * PX);
  cl_image_desc d1b = mkdesc(CL_MEM_OBJECT_IMAGE1D_BUFFER, 64, 0, 0, 0, 0);
  d1b.buffer = backing;
  struct {
    const char *tag;
    cl_image_desc d;
    size_t w, h, s;     /* packed contents: row length, rows per slice, slices */
    size_t o[3], r[3];  /* read map */
    size_t wo[3], wr[3]; /* write map */
  } cases[] = {
      {"1d", mkdesc(CL_MEM_OBJECT_IMAGE1D, 64, 0, 0, 0, 0), 64, 1, 1, {3, 0, 0}, {50, 1, 1}, {10, 0, 0}, {20, 1, 1}},
      {"1d-buffer", d1b, 64, 1, 1, {3, 0, 0}, {50, 1, 1}, {10, 0, 0}, {20, 1, 1}},
      {"1d-array", mkdesc(CL_MEM_OBJECT_IMAGE1D_ARRAY, 40, 0, 0, 6, 0), 40, 6, 1, {1, 2, 0}, {30, 3, 1}, {5, 1, 0}, {9, 4, 1}},
      {"2d", mkdesc(CL_MEM_OBJECT_IMAGE2D, 40, 20, 0, 0, 0), 40, 20, 1, {1, 2, 0}, {30, 13, 1}, {17, 3, 0}, {11, 9, 1}},
      {"2d-array", mkdesc(CL_MEM_OBJECT_IMAGE2D_ARRAY, 20, 10, 0, 4, 0), 20, 10, 4, {1, 2, 1}, {17, 5, 3}, {3, 1, 0}, {9, 7, 3}},
      {"3d", mkdesc(CL_MEM_OBJECT_IMAGE3D, 16, 10, 6, 0, 0), 16, 10, 6, {1, 2, 1}, {13, 5, 4}, {3, 4, 2}, {9, 5, 3}},
  };
  char name[96];
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    const char *t = cases[c].tag;
    cl_mem_object_type ty = cases[c].d.image_type;
    int is_1d_array = ty == CL_MEM_OBJECT_IMAGE1D_ARRAY;
    int layered = is_1d_array || ty == CL_MEM_OBJECT_IMAGE2D_ARRAY || ty == CL_MEM_OBJECT_IMAGE3D;
    cl_mem img = image(0, &cases[c].d);
    size_t w = cases[c].w, h = cases[c].h, s = cases[c].s, n = w * h * s * PX;
    const size_t dims[3] = {w, h, s}; /* the whole image in type coordinates */
    unsigned char *data = malloc(n), *got = malloc(n), *want = malloc(n);
    fill_pattern(data, n, 40 + (uint32_t)c);
    write_box(img, ZERO, dims, data);

    const size_t *o = cases[c].o, *r = cases[c].r;
    size_t rp = 0, sp = 777;
    unsigned char *p = map(img, CL_MAP_READ, o, r, &rp, &sp, &err);
    snprintf(name, sizeof name, "map-%s-read", t);
    EXPECT_CODE(name, err, CL_SUCCESS);
    if (p) {
      /* "image_row_pitch Returns the scan-line pitch in bytes for the mapped
       * region." */
      snprintf(name, sizeof name, "map-%s-row-pitch", t);
      expect_at_least(name, (long long)rp, (long long)(r[0] * PX));
      /* "image_slice_pitch Returns the size in bytes of each 2D slice of a 3D
       * image or the size of each 1D or 2D image in a 1D or 2D image array for
       * the mapped region. For a 1D and 2D image, zero is returned if this
       * argument is not NULL." A 1D image buffer is a 1D image here (as in
       * tests/tests/cl_map_image.rs). */
      snprintf(name, sizeof name, "map-%s-slice-pitch", t);
      if (!layered)
        expect_eq(name, (long long)sp, 0);
      else if (is_1d_array)
        expect_at_least(name, (long long)sp, (long long)(r[0] * PX));
      else
        expect_at_least(name, (long long)sp, (long long)(rp * r[1]));
      /* "The pointer returned maps a 1D, 2D or 3D region starting at origin
       * and is at least region[0] pixels in size for a 1D image, 1D image
       * buffer or 1D image array, (image_row_pitch * region[1]) pixels in size
       * for a 2D image or 2D image array, and (image_slice_pitch * region[2])
       * pixels in size for a 3D image." A 1D array's images are slice pitch
       * apart. */
      size_t bn = r[0] * r[1] * r[2] * PX;
      if (is_1d_array)
        gather(got, p, r[0] * PX, r[1], 1, sp, 0);
      else
        gather(got, p, r[0] * PX, r[1], r[2], rp, sp);
      cut(want, data, w, h, o, r);
      snprintf(name, sizeof name, "map-%s-read-data", t);
      expect_bytes(name, got, want, bn);
      unmap(img, p);
    }

    /* A write map reaches the image at the unmap; nothing else changes. */
    const size_t *wo = cases[c].wo, *wr = cases[c].wr;
    p = map(img, CL_MAP_WRITE, wo, wr, &rp, &sp, &err);
    snprintf(name, sizeof name, "map-%s-write", t);
    EXPECT_CODE(name, err, CL_SUCCESS);
    if (p) {
      size_t bn = wr[0] * wr[1] * wr[2] * PX;
      unsigned char *box = malloc(bn);
      fill_pattern(box, bn, 140 + (uint32_t)c);
      if (is_1d_array)
        scatter(p, box, wr[0] * PX, wr[1], 1, sp, 0);
      else
        scatter(p, box, wr[0] * PX, wr[1], wr[2], rp, sp);
      unmap(img, p);
      memcpy(want, data, n);
      paste(want, box, w, h, wo, wr);
      read_box(img, ZERO, dims, got);
      snprintf(name, sizeof name, "map-%s-write-reaches-image", t);
      expect_bytes(name, got, want, n);
      if (ty == CL_MEM_OBJECT_IMAGE1D_BUFFER) {
        /* "... associated memory objects (sub-buffer objects or 1D image
         * buffer objects that overlap this region)": the image's buffer holds
         * the written pixels. */
        memset(got, 0, n);
        MUST(clEnqueueReadBuffer(q, backing, CL_TRUE, 0, n, got, 0, NULL, NULL));
        expect_bytes("map-1d-buffer-write-reaches-buffer", got, want, n);
      }
      free(box);
    }

    /* "image_row_pitch ... This must be a non-NULL value." /
     * "CL_INVALID_VALUE if image_row_pitch is NULL." */
    snprintf(name, sizeof name, "err-%s-null-row-pitch", t);
    sp = 0;
    expect_map_err_full(name, q, img, CL_TRUE, CL_MAP_READ, ZERO, ONE, NULL, &sp, 0, NULL,
                        CL_INVALID_VALUE);
    if (layered) {
      /* "For a 3D image, 1D, and 2D image array, image_slice_pitch must be a
       * non-NULL value." / "CL_INVALID_VALUE if image is a 3D image, 1D or 2D
       * image array object and image_slice_pitch is NULL." */
      snprintf(name, sizeof name, "err-%s-null-slice-pitch", t);
      rp = 0;
      expect_map_err_full(name, q, img, CL_TRUE, CL_MAP_READ, ZERO, ONE, &rp, NULL, 0, NULL,
                          CL_INVALID_VALUE);
    } else {
      /* "For a 1D and 2D image, zero is returned if this argument is not
       * NULL": NULL is allowed for them (and for a 1D image buffer, which the
       * error list does not name either). */
      snprintf(name, sizeof name, "map-%s-null-slice-pitch", t);
      rp = 0;
      p = map(img, CL_MAP_READ, ZERO, ONE, &rp, NULL, &err);
      EXPECT_CODE(name, err, CL_SUCCESS);
      if (p) unmap(img, p);
    }
    free(data);
    free(got);
    free(want);
    MUST(clReleaseMemObject(img));
  }
  MUST(clReleaseMemObject(backing));
}

/* "If image is a 2D image object, origin[2] must be 0. If image is a 1D image
 * or 1D image buffer object, origin[1] and origin[2] must be 0. If image is a
 * 1D image array object, origin[2] must be 0." "If image is a 2D image
 * object, region[2] must be 1. If image is a 1D image or 1D image buffer
 * object, region[1] and region[2] must be 1. If image is a 1D image array
 * object, region[2] must be 1. The values in region cannot be 0."
 * / "CL_INVALID_VALUE if values in origin and region do not follow rules
 * described in the argument description for origin and region." */
static void origin_and_region_rules(void) {
  cl_mem img = setup2d();
  cl_image_desc d1 = mkdesc(CL_MEM_OBJECT_IMAGE1D, 16, 0, 0, 0, 0);
  cl_mem one = image(0, &d1);
  cl_mem backing = buffer(16 * PX);
  cl_image_desc d1b = mkdesc(CL_MEM_OBJECT_IMAGE1D_BUFFER, 16, 0, 0, 0, 0);
  d1b.buffer = backing;
  cl_mem oneb = image(0, &d1b);
  cl_image_desc da = mkdesc(CL_MEM_OBJECT_IMAGE1D_ARRAY, 16, 0, 0, 4, 0);
  cl_mem arr = image(0, &da);
  const size_t o001[3] = {0, 0, 1}, o010[3] = {0, 1, 0};
  const size_t r112[3] = {1, 1, 2}, r121[3] = {1, 2, 1};
  const size_t r011[3] = {0, 1, 1}, r101[3] = {1, 0, 1}, r110[3] = {1, 1, 0};

  expect_map_err("err-2d-origin2", img, CL_MAP_READ, o001, ONE, CL_INVALID_VALUE);
  expect_map_err("err-2d-region2", img, CL_MAP_READ, ZERO, r112, CL_INVALID_VALUE);
  expect_map_err("err-1d-origin1", one, CL_MAP_READ, o010, ONE, CL_INVALID_VALUE);
  expect_map_err("err-1d-origin2", one, CL_MAP_READ, o001, ONE, CL_INVALID_VALUE);
  expect_map_err("err-1d-region1", one, CL_MAP_READ, ZERO, r121, CL_INVALID_VALUE);
  expect_map_err("err-1d-region2", one, CL_MAP_READ, ZERO, r112, CL_INVALID_VALUE);
  expect_map_err("err-1d-buffer-origin1", oneb, CL_MAP_READ, o010, ONE, CL_INVALID_VALUE);
  expect_map_err("err-1d-buffer-origin2", oneb, CL_MAP_READ, o001, ONE, CL_INVALID_VALUE);
  expect_map_err("err-1d-buffer-region1", oneb, CL_MAP_READ, ZERO, r121, CL_INVALID_VALUE);
  expect_map_err("err-1d-buffer-region2", oneb, CL_MAP_READ, ZERO, r112, CL_INVALID_VALUE);
  expect_map_err("err-1d-array-origin2", arr, CL_MAP_READ, o001, ONE, CL_INVALID_VALUE);
  expect_map_err("err-1d-array-region2", arr, CL_MAP_READ, ZERO, r112, CL_INVALID_VALUE);
  expect_map_err("err-region-width-0", img, CL_MAP_READ, ZERO, r011, CL_INVALID_VALUE);
  expect_map_err("err-region-height-0", img, CL_MAP_READ, ZERO, r101, CL_INVALID_VALUE);
  expect_map_err("err-region-depth-0", img, CL_MAP_READ, ZERO, r110, CL_INVALID_VALUE);
  /* Refused maps map nothing: the mapped count stays zero. */
  expect_eq("map-count-after-refusals", map_count(img), 0);
  MUST(clReleaseMemObject(arr));
  MUST(clReleaseMemObject(oneb));
  MUST(clReleaseMemObject(backing));
  MUST(clReleaseMemObject(one));
  MUST(clReleaseMemObject(img));
}

/* "CL_INVALID_VALUE if region being mapped given by (origin, origin+region)
 * is out of bounds or if values specified in map_flags are not valid." */
static void out_of_bounds_and_bad_flags(void) {
  cl_mem img = setup2d();
  cl_image_desc d2a = mkdesc(CL_MEM_OBJECT_IMAGE2D_ARRAY, 4, 4, 0, 2, 0);
  cl_mem arr = image(0, &d2a);
  cl_image_desc d3 = mkdesc(CL_MEM_OBJECT_IMAGE3D, 4, 4, 4, 0, 0);
  cl_mem vol = image(0, &d3);
  cl_image_desc d1a = mkdesc(CL_MEM_OBJECT_IMAGE1D_ARRAY, 8, 0, 0, 3, 0);
  cl_mem arr1 = image(0, &d1a);
  cl_image_desc d1 = mkdesc(CL_MEM_OBJECT_IMAGE1D, 8, 0, 0, 0, 0);
  cl_mem one = image(0, &d1);

  const size_t ox[3] = {30, 0, 0}, rx[3] = {3, 1, 1};
  expect_map_err("err-oob-2d-x", img, CL_MAP_READ, ox, rx, CL_INVALID_VALUE);
  const size_t oy[3] = {0, 16, 0};
  expect_map_err("err-oob-2d-y", img, CL_MAP_READ, oy, ONE, CL_INVALID_VALUE);
  const size_t ol[3] = {0, 0, 1}, rl[3] = {1, 1, 2};
  expect_map_err("err-oob-2d-array-layers", arr, CL_MAP_READ, ol, rl, CL_INVALID_VALUE);
  const size_t oz[3] = {0, 0, 2}, rz[3] = {1, 1, 3};
  expect_map_err("err-oob-3d-z", vol, CL_MAP_READ, oz, rz, CL_INVALID_VALUE);
  const size_t o1l[3] = {0, 2, 0}, r1l[3] = {1, 2, 1};
  expect_map_err("err-oob-1d-array-layers", arr1, CL_MAP_READ, o1l, r1l, CL_INVALID_VALUE);
  const size_t o1[3] = {4, 0, 0}, r1[3] = {5, 1, 1};
  expect_map_err("err-oob-1d-x", one, CL_MAP_READ, o1, r1, CL_INVALID_VALUE);

  /* "CL_MAP_READ or CL_MAP_WRITE and CL_MAP_WRITE_INVALIDATE_REGION are
   * mutually exclusive." */
  expect_map_err("err-flags-read-invalidate", img, CL_MAP_READ | CL_MAP_WRITE_INVALIDATE_REGION, ZERO,
                 ONE, CL_INVALID_VALUE);
  expect_map_err("err-flags-write-invalidate", img, CL_MAP_WRITE | CL_MAP_WRITE_INVALIDATE_REGION, ZERO,
                 ONE, CL_INVALID_VALUE);
  expect_map_err("err-flags-all-three", img,
                 CL_MAP_READ | CL_MAP_WRITE | CL_MAP_WRITE_INVALIDATE_REGION, ZERO, ONE,
                 CL_INVALID_VALUE);
  /* map_flags: "A bit-bield [sic] with the following supported values": any
   * other bit is not a valid value. */
  expect_map_err("err-flags-unknown-bit", img, (cl_map_flags)1 << 5, ZERO, ONE, CL_INVALID_VALUE);
  MUST(clReleaseMemObject(one));
  MUST(clReleaseMemObject(arr1));
  MUST(clReleaseMemObject(vol));
  MUST(clReleaseMemObject(arr));
  MUST(clReleaseMemObject(img));
}

/* In a child: an image of the same implementation in place of the queue. */
static cl_int child_image_as_queue(void) {
  cl_env e = quiet_env();
  cl_int err;
  cl_image_desc d = mkdesc(CL_MEM_OBJECT_IMAGE2D, 4, 4, 0, 0, 0);
  cl_mem img = clCreateImage(e.context, 0, &RGBA8, &d, NULL, &err);
  MUST(err);
  size_t rp = 0;
  err = 12345;
  clEnqueueMapImage((cl_command_queue)(void *)img, img, CL_TRUE, CL_MAP_READ, ZERO, ONE, &rp, NULL, 0,
                    NULL, NULL, &err);
  return err;
}

/* In a child: an image released before the map. */
static cl_int child_released_image(void) {
  cl_env e = quiet_env();
  cl_int err;
  cl_image_desc d = mkdesc(CL_MEM_OBJECT_IMAGE2D, 4, 4, 0, 0, 0);
  cl_mem img = clCreateImage(e.context, 0, &RGBA8, &d, NULL, &err);
  MUST(err);
  MUST(clReleaseMemObject(img));
  size_t rp = 0;
  err = 12345;
  clEnqueueMapImage(e.queue, img, CL_TRUE, CL_MAP_READ, ZERO, ONE, &rp, NULL, 0, NULL, NULL, &err);
  return err;
}

/* "CL_INVALID_COMMAND_QUEUE if command_queue is not a valid host
 * command-queue." and "CL_INVALID_MEM_OBJECT if image is not a valid image
 * object.", with handles that are not of the right kind or no longer valid
 * (run first, in child processes). */
static void invalid_handles_isolated(void) {
  expect_code_isolated("err-queue-not-a-queue", child_image_as_queue, CL_INVALID_COMMAND_QUEUE);
  expect_code_isolated("err-mem-released", child_released_image, CL_INVALID_MEM_OBJECT);
}

/* "CL_INVALID_COMMAND_QUEUE if command_queue is not a valid host
 * command-queue." */
static void invalid_command_queue(cl_mem img) {
  size_t rp = 0, sp = 0;
  expect_map_err_full("err-queue-null", NULL, img, CL_TRUE, CL_MAP_READ, ZERO, ONE, &rp, &sp, 0, NULL,
                      CL_INVALID_COMMAND_QUEUE);
}

/* "CL_INVALID_CONTEXT if the context associated with command_queue and image
 * are not the same or if the context associated with command_queue and events
 * in event_wait_list are not the same." */
static void invalid_context(cl_mem img, cl_context other, cl_command_queue other_q) {
  size_t rp = 0, sp = 0;
  expect_map_err_full("err-context-image", other_q, img, CL_TRUE, CL_MAP_READ, ZERO, ONE, &rp, &sp, 0,
                      NULL, CL_INVALID_CONTEXT);
  cl_int err;
  cl_event ev = clCreateUserEvent(other, &err);
  MUST(err);
  MUST(clSetUserEventStatus(ev, CL_COMPLETE));
  expect_map_err_full("err-context-wait-list", q, img, CL_TRUE, CL_MAP_READ, ZERO, ONE, &rp, &sp, 1, &ev,
                      CL_INVALID_CONTEXT);
  MUST(clReleaseEvent(ev));
}

/* "CL_INVALID_MEM_OBJECT if image is not a valid image object." */
static void invalid_mem_object(void) {
  size_t rp = 0, sp = 0;
  expect_map_err_full("err-mem-null", q, NULL, CL_TRUE, CL_MAP_READ, ZERO, ONE, &rp, &sp, 0, NULL,
                      CL_INVALID_MEM_OBJECT);
  cl_mem buf = buffer(64);
  expect_map_err_full("err-mem-buffer", q, buf, CL_TRUE, CL_MAP_READ, ZERO, ONE, &rp, &sp, 0, NULL,
                      CL_INVALID_MEM_OBJECT);
  MUST(clReleaseMemObject(buf));
}

/* "CL_INVALID_EVENT_WAIT_LIST if event_wait_list is NULL and
 * num_events_in_wait_list > 0, or event_wait_list is not NULL and
 * num_events_in_wait_list is 0, or if event objects in event_wait_list are
 * not valid events." */
static void invalid_event_wait_list(cl_mem img) {
  cl_int err;
  cl_event ev = clCreateUserEvent(ctx, &err);
  MUST(err);
  MUST(clSetUserEventStatus(ev, CL_COMPLETE));
  size_t rp = 0, sp = 0;
  expect_map_err_full("err-wait-list-null-with-count", q, img, CL_FALSE, CL_MAP_READ, ZERO, ONE, &rp, &sp,
                      1, NULL, CL_INVALID_EVENT_WAIT_LIST);
  expect_map_err_full("err-wait-list-count-zero", q, img, CL_FALSE, CL_MAP_READ, ZERO, ONE, &rp, &sp, 0,
                      &ev, CL_INVALID_EVENT_WAIT_LIST);
  cl_event null_ev = NULL;
  expect_map_err_full("err-wait-list-null-event", q, img, CL_FALSE, CL_MAP_READ, ZERO, ONE, &rp, &sp, 1,
                      &null_ev, CL_INVALID_EVENT_WAIT_LIST);
  MUST(clReleaseEvent(ev));
}

/* "CL_INVALID_IMAGE_SIZE if image dimensions ... for image are not supported
 * by device associated with queue." and "CL_IMAGE_FORMAT_NOT_SUPPORTED if
 * image format ... for image are not supported by device associated with
 * queue." The context has one device, so such an image cannot exist:
 * clCreateImage already refuses it with these codes (docs/opencl.md). */
static void unsupported_images_cannot_exist(void) {
  size_t max_depth = 0;
  MUST(clGetDeviceInfo(env.device, CL_DEVICE_IMAGE3D_MAX_DEPTH, sizeof max_depth, &max_depth, NULL));
  cl_image_desc deep = mkdesc(CL_MEM_OBJECT_IMAGE3D, 4, 4, max_depth + 1, 0, 0);
  cl_int err = 12345;
  cl_mem m = clCreateImage(ctx, 0, &RGBA8, &deep, NULL, &err);
  EXPECT_CODE("err-image-size-at-create", err, CL_INVALID_IMAGE_SIZE);
  if (m) clReleaseMemObject(m);

  /* A valid descriptor the device does not list. */
  cl_uint n = 0;
  MUST(clGetSupportedImageFormats(ctx, CL_MEM_READ_WRITE, CL_MEM_OBJECT_IMAGE2D, 0, NULL, &n));
  cl_image_format *fs = calloc(n ? n : 1, sizeof *fs);
  MUST(clGetSupportedImageFormats(ctx, CL_MEM_READ_WRITE, CL_MEM_OBJECT_IMAGE2D, n, fs, NULL));
  const cl_image_format candidates[] = {
      {CL_ARGB, CL_UNORM_INT8},   {CL_A, CL_UNORM_INT8},      {CL_INTENSITY, CL_FLOAT},
      {CL_LUMINANCE, CL_FLOAT},   {CL_RGB, CL_UNORM_SHORT_565}, {CL_RGBx, CL_UNORM_SHORT_555},
      {CL_ABGR, CL_UNORM_INT8},   {CL_Rx, CL_FLOAT},          {CL_RA, CL_UNORM_INT8},
  };
  const cl_image_format *pick = NULL;
  for (size_t i = 0; i < sizeof candidates / sizeof candidates[0] && !pick; i++) {
    int listed = 0;
    for (cl_uint j = 0; j < n; j++)
      if (fs[j].image_channel_order == candidates[i].image_channel_order &&
          fs[j].image_channel_data_type == candidates[i].image_channel_data_type)
        listed = 1;
    if (!listed) pick = &candidates[i];
  }
  free(fs);
  if (pick) {
    cl_image_desc d = mkdesc(CL_MEM_OBJECT_IMAGE2D, 4, 4, 0, 0, 0);
    err = 12345;
    m = clCreateImage(ctx, CL_MEM_READ_WRITE, pick, &d, NULL, &err);
    EXPECT_CODE("err-image-format-at-create", err, CL_IMAGE_FORMAT_NOT_SUPPORTED);
    if (m) clReleaseMemObject(m);
  } else {
    EXPECT_TRUE("err-image-format-at-create", 0); /* every candidate supported: cannot provoke */
  }
}

/* "CL_MAP_FAILURE if there is a failure to map the requested region into the
 * host address space. This error cannot occur for image objects created with
 * CL_MEM_USE_HOST_PTR or CL_MEM_ALLOC_HOST_PTR." and "If the image object is
 * created with CL_MEM_USE_HOST_PTR set in mem_flags, the following will be
 * true: The host_ptr specified in clCreateImage is guaranteed to contain the
 * latest bits in the region being mapped when the clEnqueueMapImage command
 * has completed. The pointer value returned by clEnqueueMapImage will be
 * derived from the host_ptr specified when the image object is created." */
static void host_ptr_images(void) {
  enum { W = 20, H = 12, RP = 96 };
  unsigned char *host = malloc(RP * H);
  fill_pattern(host, RP * H, 50);
  cl_image_desc d = mkdesc(CL_MEM_OBJECT_IMAGE2D, W, H, 0, 0, 0);
  d.image_row_pitch = RP;
  cl_int err;
  cl_mem img = clCreateImage(ctx, CL_MEM_USE_HOST_PTR, &RGBA8, &d, host, &err);
  MUST(err);
  /* The card writes a box; the map shows it in host_ptr. */
  unsigned char fresh[5 * 3 * PX], got[5 * 3 * PX];
  fill_pattern(fresh, sizeof fresh, 51);
  const size_t o[3] = {2, 4, 0}, r[3] = {5, 3, 1};
  write_box(img, o, r, fresh);
  size_t rp = 0, sp = 777;
  unsigned char *p = map(img, CL_MAP_READ, o, r, &rp, &sp, &err);
  EXPECT_CODE("use-host-ptr-map", err, CL_SUCCESS);
  if (p) {
    /* host_ptr "is guaranteed to contain the latest bits in the region". */
    gather(got, host + o[1] * RP + o[0] * PX, r[0] * PX, r[1], 1, RP, 0);
    expect_bytes("use-host-ptr-latest-bits", got, fresh, sizeof fresh);
    /* "The pointer value returned ... will be derived from the host_ptr": the
     * box's first pixel in host_ptr, at host_ptr's row pitch. */
    expect_eq("use-host-ptr-pointer-derived", (long long)(p - host), (long long)(o[1] * RP + o[0] * PX));
    expect_eq("use-host-ptr-row-pitch", (long long)rp, RP);
    gather(got, p, r[0] * PX, r[1], 1, rp, 0);
    expect_bytes("use-host-ptr-map-data", got, fresh, sizeof fresh);
    unmap(img, p);
  }
  MUST(clReleaseMemObject(img));
  MUST(clFinish(q));
  free(host);

  cl_image_desc d3 = mkdesc(CL_MEM_OBJECT_IMAGE3D, 8, 8, 4, 0, 0);
  cl_mem alloc = image(CL_MEM_ALLOC_HOST_PTR, &d3);
  const size_t all[3] = {8, 8, 4}, o1[3] = {1, 1, 1};
  size_t arp = 0, asp = 0;
  unsigned char *a = map(alloc, CL_MAP_WRITE, ZERO, all, &arp, &asp, &err);
  EXPECT_CODE("alloc-host-ptr-map-write", err, CL_SUCCESS);
  if (a) {
    /* "Mapping (and unmapping) overlapped regions in a memory object ... for
     * writing is an error and will result in CL_INVALID_OPERATION". */
    expect_map_err("overlap-read-over-alloc-write", alloc, CL_MAP_READ, o1, ONE, CL_INVALID_OPERATION);
    memset(a + asp + arp + PX, 0x77, PX);
    unmap(alloc, a);
    unsigned char px[PX] = {0}, want[PX] = {0x77, 0x77, 0x77, 0x77};
    read_box(alloc, o1, ONE, px);
    expect_bytes("alloc-host-ptr-write-reaches-image", px, want, PX);
  }
  MUST(clReleaseMemObject(alloc));
}

/* In a child: a blocking map behind a user event set to -1; returns the
 * map's code, or (count_instead) the image's mapped count after it. */
static cl_int failed_wait_map(int count_instead) {
  cl_env e = quiet_env();
  cl_int err;
  cl_image_desc d = mkdesc(CL_MEM_OBJECT_IMAGE2D, 4, 4, 0, 0, 0);
  cl_mem img = clCreateImage(e.context, 0, &RGBA8, &d, NULL, &err);
  MUST(err);
  cl_event bad = clCreateUserEvent(e.context, &err);
  MUST(err);
  MUST(clSetUserEventStatus(bad, -1));
  size_t rp = 0;
  err = 12345;
  clEnqueueMapImage(e.queue, img, CL_TRUE, CL_MAP_READ, ZERO, ONE, &rp, NULL, 1, &bad, NULL, &err);
  if (!count_instead) return err;
  cl_uint n = 0xdead;
  MUST(clGetMemObjectInfo(img, CL_MEM_MAP_COUNT, sizeof n, &n, NULL));
  return (cl_int)n;
}
static cl_int child_failed_wait_code(void) { return failed_wait_map(0); }
static cl_int child_failed_wait_count(void) { return failed_wait_map(1); }

/* "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST if the map operation is
 * blocking and the execution status of any of the events in event_wait_list
 * is a negative integer value." (In child processes: an implementation may
 * never return from such a map.) */
static void blocking_map_after_failed_event_isolated(void) {
  expect_code_isolated("err-exec-status-wait-list", child_failed_wait_code,
                       CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
  /* A map that failed mapped nothing: the mapped count stays 0. */
  expect_code_isolated("map-count-after-failed-wait", child_failed_wait_count, 0);
}

/* "CL_INVALID_OPERATION if image has been created with CL_MEM_HOST_WRITE_ONLY
 * or CL_MEM_HOST_NO_ACCESS and CL_MAP_READ is set in map_flags or if image
 * has been created with CL_MEM_HOST_READ_ONLY or CL_MEM_HOST_NO_ACCESS and
 * CL_MAP_WRITE or CL_MAP_WRITE_INVALIDATE_REGION is set in map_flags." */
static void host_access_flags(void) {
  cl_image_desc d = mkdesc(CL_MEM_OBJECT_IMAGE2D, 4, 4, 0, 0, 0);
  cl_mem wo = image(CL_MEM_HOST_WRITE_ONLY, &d);
  cl_mem ro = image(CL_MEM_HOST_READ_ONLY, &d);
  cl_mem none = image(CL_MEM_HOST_NO_ACCESS, &d);
  expect_map_err("err-host-write-only-read", wo, CL_MAP_READ, ZERO, ONE, CL_INVALID_OPERATION);
  expect_map_err("err-host-write-only-read-write", wo, CL_MAP_READ | CL_MAP_WRITE, ZERO, ONE,
                 CL_INVALID_OPERATION);
  expect_map_err("err-host-no-access-read", none, CL_MAP_READ, ZERO, ONE, CL_INVALID_OPERATION);
  expect_map_err("err-host-read-only-write", ro, CL_MAP_WRITE, ZERO, ONE, CL_INVALID_OPERATION);
  expect_map_err("err-host-read-only-invalidate", ro, CL_MAP_WRITE_INVALIDATE_REGION, ZERO, ONE,
                 CL_INVALID_OPERATION);
  expect_map_err("err-host-no-access-write", none, CL_MAP_WRITE, ZERO, ONE, CL_INVALID_OPERATION);
  expect_map_err("err-host-no-access-invalidate", none, CL_MAP_WRITE_INVALIDATE_REGION, ZERO, ONE,
                 CL_INVALID_OPERATION);
  /* The flags allow the other direction. */
  size_t rp = 0;
  cl_int err;
  unsigned char *p = map(ro, CL_MAP_READ, ZERO, ONE, &rp, NULL, &err);
  EXPECT_CODE("host-read-only-map-read", err, CL_SUCCESS);
  if (p) unmap(ro, p);
  p = map(wo, CL_MAP_WRITE, ZERO, ONE, &rp, NULL, &err);
  EXPECT_CODE("host-write-only-map-write", err, CL_SUCCESS);
  if (p) unmap(wo, p);
  p = map(wo, CL_MAP_WRITE_INVALIDATE_REGION, ZERO, ONE, &rp, NULL, &err);
  EXPECT_CODE("host-write-only-map-invalidate", err, CL_SUCCESS);
  if (p) unmap(wo, p);
  MUST(clReleaseMemObject(none));
  MUST(clReleaseMemObject(ro));
  MUST(clReleaseMemObject(wo));
}

/* "CL_INVALID_OPERATION if mapping would lead to overlapping regions being
 * mapped for writing." / "Mapping (and unmapping) overlapped regions in a
 * memory object and/or associated memory objects (sub-buffer objects or 1D
 * image buffer objects that overlap this region) for writing is an error and
 * will result in CL_INVALID_OPERATION error returned by clEnqueueMapBuffer or
 * clEnqueueMapImage." */
static void overlapping_write_maps(void) {
  cl_mem img = setup2d();
  const size_t left[3] = {0, 0, 0}, right[3] = {16, 0, 0}, half[3] = {16, 16, 1};
  size_t rpa = 0, rpb = 0;
  cl_int err;
  unsigned char *a = map(img, CL_MAP_WRITE, left, half, &rpa, NULL, &err);
  EXPECT_CODE("overlap-first-write-map", err, CL_SUCCESS);
  /* Disjoint boxes are not overlapping regions. */
  unsigned char *b = map(img, CL_MAP_WRITE, right, half, &rpb, NULL, &err);
  EXPECT_CODE("overlap-disjoint-write-maps", err, CL_SUCCESS);
  const size_t across[3] = {15, 15, 0}, r21[3] = {2, 1, 1};
  expect_map_err("overlap-read-over-write", img, CL_MAP_READ, across, r21, CL_INVALID_OPERATION);
  const size_t o8[3] = {8, 8, 0}, r16[3] = {16, 1, 1};
  expect_map_err("overlap-write-over-write", img, CL_MAP_WRITE, o8, r16, CL_INVALID_OPERATION);
  expect_map_err("overlap-invalidate-over-write", img, CL_MAP_WRITE_INVALIDATE_REGION, o8, ONE,
                 CL_INVALID_OPERATION);
  expect_eq("map-count-two-write-maps", map_count(img), 2);
  /* Both halves written through their maps reach the image. */
  static unsigned char box[16 * 16 * PX], want[sizeof data2d], got[sizeof data2d];
  memcpy(want, data2d, sizeof want);
  if (a) {
    fill_pattern(box, sizeof box, 70);
    scatter(a, box, 16 * PX, 16, 1, rpa, 0);
    paste(want, box, W2, H2, left, half);
    unmap(img, a);
  }
  /* After the unmap the left half is free again. */
  const size_t o15[3] = {15, 15, 0};
  size_t rp = 0;
  unsigned char *c = map(img, CL_MAP_READ, o15, ONE, &rp, NULL, &err);
  EXPECT_CODE("overlap-after-unmap", err, CL_SUCCESS);
  if (b) {
    fill_pattern(box, sizeof box, 71);
    scatter(b, box, 16 * PX, 16, 1, rpb, 0);
    paste(want, box, W2, H2, right, half);
    unmap(img, b);
  }
  if (c) unmap(img, c);
  const size_t whole[3] = {W2, H2, 1};
  read_box(img, ZERO, whole, got);
  expect_bytes("overlap-disjoint-writes-reach-image", got, want, sizeof got);

  /* A write map over a live read map. */
  const size_t r4[3] = {4, 4, 1}, o2[3] = {2, 2, 0};
  unsigned char *rd = map(img, CL_MAP_READ, ZERO, r4, &rp, NULL, &err);
  MUST(err);
  expect_map_err("overlap-write-over-read", img, CL_MAP_WRITE, o2, r4, CL_INVALID_OPERATION);
  unmap(img, rd);
  MUST(clReleaseMemObject(img));

  /* A 1D image buffer and its buffer: "associated memory objects ... 1D image
   * buffer objects that overlap this region". */
  cl_mem buf = buffer(64 * PX);
  cl_image_desc d = mkdesc(CL_MEM_OBJECT_IMAGE1D_BUFFER, 64, 0, 0, 0, 0);
  d.buffer = buf;
  cl_mem img1b = image(0, &d);
  void *bp = clEnqueueMapBuffer(q, buf, CL_TRUE, CL_MAP_WRITE, 0, 16 * PX, 0, NULL, NULL, &err);
  MUST(err);
  const size_t o8x[3] = {8, 0, 0}, r4x[3] = {4, 1, 1}, o16x[3] = {16, 0, 0};
  expect_map_err("overlap-1d-buffer-over-buffer-write", img1b, CL_MAP_WRITE, o8x, r4x,
                 CL_INVALID_OPERATION);
  unsigned char *ip = map(img1b, CL_MAP_WRITE, o16x, r4x, &rp, NULL, &err);
  EXPECT_CODE("overlap-1d-buffer-disjoint-from-buffer-map", err, CL_SUCCESS);
  if (ip) unmap(img1b, ip);
  unmap(buf, bp);
  MUST(clReleaseMemObject(img1b));
  MUST(clReleaseMemObject(buf));
}

/* cl_khr_mipmap_image: "calls to clEnqueueReadImage, clEnqueueWriteImage and
 * clEnqueueMapImage can be used to read from or write to a specific mip-level
 * of a mip-mapped image. If image argument is a 1D image, origin[1] specifies
 * the mip-level to use. If image argument is a 1D image array, origin[2]
 * specifies the mip-level to use. If image argument is a 2D image, origin[3]
 * specifies the mip-level to use. If image argument is a 2D image array or a
 * 3D image, origin[3] specifies the mip-level to use." The 2D case follows the
 * extension, origin[2] (docs/opencl.md, "Sentences interpreted"). */
static const struct mip_case {
  const char *tag;
  cl_mem_object_type ty;
  size_t w, h, d, layers;
  cl_uint levels;
  int at;            /* index of the mip level in origin */
  size_t o[4], r[3]; /* box at that level */
  size_t bad_r[3];   /* fits level 0, not that level */
} MIP_CASES[] = {
    {"1d", CL_MEM_OBJECT_IMAGE1D, 64, 0, 0, 0, 4, 1, {0, 3, 0, 0}, {8, 1, 1}, {9, 1, 1}},
    {"1d-array", CL_MEM_OBJECT_IMAGE1D_ARRAY, 64, 0, 0, 3, 4, 2, {0, 1, 2, 0}, {16, 2, 1}, {17, 1, 1}},
    {"2d", CL_MEM_OBJECT_IMAGE2D, 32, 16, 0, 0, 3, 2, {0, 0, 2, 0}, {8, 4, 1}, {8, 5, 1}},
    {"2d-array", CL_MEM_OBJECT_IMAGE2D_ARRAY, 32, 16, 0, 3, 3, 3, {0, 0, 1, 2}, {8, 4, 2}, {9, 4, 1}},
    {"3d", CL_MEM_OBJECT_IMAGE3D, 16, 16, 8, 0, 3, 3, {0, 0, 0, 2}, {4, 4, 2}, {4, 4, 3}},
};
#define MIP_N (sizeof MIP_CASES / sizeof MIP_CASES[0])
static int mip_created[MIP_N]; /* the creation probe returned CL_SUCCESS */
static size_t mip_probe;

static cl_image_desc mip_desc(size_t c) {
  const struct mip_case *m = &MIP_CASES[c];
  return mkdesc(m->ty, m->w, m->h, m->d, m->layers, m->levels);
}

/* In a child: clCreateImage of a mipmapped image (an implementation without
 * cl_khr_mipmap_image may end the process here). */
static cl_int child_create_mip(void) {
  cl_env e = quiet_env();
  cl_image_desc d = mip_desc(mip_probe);
  cl_int err = 12345;
  cl_mem m = clCreateImage(e.context, 0, &RGBA8, &d, NULL, &err);
  if (m) clReleaseMemObject(m);
  return err;
}

/* Mipmapped images can be created (run first, in child processes); the mip
 * checks below run for the types whose creation succeeded. */
static void mip_create_isolated(void) {
  char name[96];
  for (mip_probe = 0; mip_probe < MIP_N; mip_probe++) {
    snprintf(name, sizeof name, "mip-%s-create", MIP_CASES[mip_probe].tag);
    int before = checks_failed;
    expect_code_isolated(name, child_create_mip, CL_SUCCESS);
    mip_created[mip_probe] = checks_failed == before;
  }
}

static void mip_levels(void) {
  char name[96];
  const struct mip_case *cases = MIP_CASES;
  for (size_t c = 0; c < MIP_N; c++) {
    if (!mip_created[c]) continue;
    const char *t = cases[c].tag;
    const cl_image_desc desc = mip_desc(c), *d = &desc;
    cl_mem_object_type ty = d->image_type;
    int is_1d_array = ty == CL_MEM_OBJECT_IMAGE1D_ARRAY;
    cl_mem img = image(0, d);
    cl_int err;
    const size_t *o = cases[c].o, *r = cases[c].r;
    size_t level = o[cases[c].at];
    /* The whole level and the whole of level 0, in type coordinates. */
    size_t lw = d->image_width >> level;
    size_t lh = ty == CL_MEM_OBJECT_IMAGE1D ? 1 : is_1d_array ? d->image_array_size
                                                              : d->image_height >> level;
    size_t ls = ty == CL_MEM_OBJECT_IMAGE2D_ARRAY ? d->image_array_size
                : ty == CL_MEM_OBJECT_IMAGE3D     ? d->image_depth >> level
                                                  : 1;
    size_t h0 = ty == CL_MEM_OBJECT_IMAGE1D ? 1 : is_1d_array ? d->image_array_size : d->image_height;
    size_t s0 = ty == CL_MEM_OBJECT_IMAGE2D_ARRAY ? d->image_array_size
                : ty == CL_MEM_OBJECT_IMAGE3D     ? d->image_depth
                                                  : 1;
    const size_t lregion[3] = {lw, lh, ls}, region0[3] = {d->image_width, h0, s0};
    size_t lorigin[4] = {0, 0, 0, 0};
    lorigin[cases[c].at] = level;
    size_t ln = lw * lh * ls * PX, n0 = d->image_width * h0 * s0 * PX;
    unsigned char *lvl = malloc(ln), *got = malloc(ln > n0 ? ln : n0), *want = malloc(ln);
    unsigned char *base = malloc(n0);
    fill_pattern(lvl, ln, 60 + (uint32_t)c);
    fill_pattern(base, n0, 160 + (uint32_t)c);
    write_box(img, ZERO, region0, base);
    write_box(img, lorigin, lregion, lvl);

    /* A read map of the level's box has the level's bits. */
    size_t box_origin[3] = {o[0], o[1], o[2]}; /* the box within the level */
    if (cases[c].at < 3) box_origin[cases[c].at] = 0;
    size_t rp = 0, sp = 0;
    unsigned char *p = map(img, CL_MAP_READ, o, r, &rp, &sp, &err);
    snprintf(name, sizeof name, "mip-%s-map", t);
    EXPECT_CODE(name, err, CL_SUCCESS);
    size_t bn = r[0] * r[1] * r[2] * PX;
    if (p) {
      if (is_1d_array)
        gather(got, p, r[0] * PX, r[1], 1, sp, 0);
      else
        gather(got, p, r[0] * PX, r[1], r[2], rp, sp);
      cut(want, lvl, lw, lh, box_origin, r);
      snprintf(name, sizeof name, "mip-%s-map-data", t);
      expect_bytes(name, got, want, bn);
      unmap(img, p);
    }

    /* A write map of the level's box reaches that level only. */
    p = map(img, CL_MAP_WRITE_INVALIDATE_REGION, o, r, &rp, &sp, &err);
    snprintf(name, sizeof name, "mip-%s-map-write", t);
    EXPECT_CODE(name, err, CL_SUCCESS);
    if (p) {
      unsigned char *box = malloc(bn);
      fill_pattern(box, bn, 260 + (uint32_t)c);
      if (is_1d_array)
        scatter(p, box, r[0] * PX, r[1], 1, sp, 0);
      else
        scatter(p, box, r[0] * PX, r[1], r[2], rp, sp);
      unmap(img, p);
      memcpy(want, lvl, ln);
      paste(want, box, lw, lh, box_origin, r);
      read_box(img, lorigin, lregion, got);
      snprintf(name, sizeof name, "mip-%s-write-reaches-level", t);
      expect_bytes(name, got, want, ln);
      read_box(img, ZERO, region0, got);
      snprintf(name, sizeof name, "mip-%s-level0-unchanged", t);
      expect_bytes(name, got, base, n0);
      free(box);
    }

    /* A level past the last: CL_INVALID_MIP_LEVEL (cl_khr_mipmap_image). */
    size_t past[4] = {o[0], o[1], o[2], o[3]};
    past[cases[c].at] = d->num_mip_levels;
    snprintf(name, sizeof name, "err-mip-%s-level-past-last", t);
    expect_map_err(name, img, CL_MAP_READ, past, ONE, CL_INVALID_MIP_LEVEL);
    /* "CL_INVALID_VALUE if region being mapped given by (origin,
     * origin+region) is out of bounds": bounds are the level's. */
    snprintf(name, sizeof name, "err-mip-%s-oob-at-level", t);
    expect_map_err(name, img, CL_MAP_READ, o, cases[c].bad_r, CL_INVALID_VALUE);
    free(lvl);
    free(got);
    free(want);
    free(base);
    MUST(clReleaseMemObject(img));
  }

  /* Boxes of different levels are different regions; boxes of one level
   * overlap as usual. */
  if (!mip_created[2]) return; /* 2D */
  cl_image_desc dm = mkdesc(CL_MEM_OBJECT_IMAGE2D, 16, 16, 0, 0, 3);
  cl_mem mip = image(0, &dm);
  cl_int err;
  const size_t l0[3] = {0, 0, 0}, l1[3] = {0, 0, 1}, l1b[3] = {3, 3, 1}, r4[3] = {4, 4, 1};
  size_t rp = 0;
  unsigned char *m0 = map(mip, CL_MAP_WRITE, l0, r4, &rp, NULL, &err);
  EXPECT_CODE("mip-write-map-level0", err, CL_SUCCESS);
  unsigned char *m1 = map(mip, CL_MAP_WRITE, l1, r4, &rp, NULL, &err);
  EXPECT_CODE("mip-write-maps-different-levels", err, CL_SUCCESS);
  expect_map_err("mip-overlap-same-level", mip, CL_MAP_WRITE, l1b, ONE, CL_INVALID_OPERATION);
  if (m0) unmap(mip, m0);
  if (m1) unmap(mip, m1);
  MUST(clReleaseMemObject(mip));
}

/* blocking_map: "If blocking_map is CL_FALSE i.e. map operation is
 * non-blocking, the pointer to the mapped region returned by
 * clEnqueueMapImage cannot be used until the map command has completed. The
 * event argument returns an event object which can be used to query the
 * execution status of the map command. When the map command is completed,
 * the application can access the contents of the mapped region using the
 * pointer returned by clEnqueueMapImage." */
static void events_and_wait_lists(void) {
  cl_mem img = setup2d();
  const size_t o[3] = {3, 5, 0}, r[3] = {9, 7, 1};
  unsigned char got[9 * 7 * PX], want[9 * 7 * PX];
  cut(want, data2d, W2, H2, o, r);
  cl_int err;
  size_t rp = 0;
  cl_event ev = NULL;
  unsigned char *p = clEnqueueMapImage(q, img, CL_FALSE, CL_MAP_READ, o, r, &rp, NULL, 0, NULL, &ev, &err);
  EXPECT_CODE("nonblocking-map", err, CL_SUCCESS);
  if (p && ev) {
    /* event: "Returns an event object that identifies this particular ...
     * command". */
    cl_command_type ct = 0;
    MUST(clGetEventInfo(ev, CL_EVENT_COMMAND_TYPE, sizeof ct, &ct, NULL));
    expect_eq("event-command-type-map", ct, CL_COMMAND_MAP_IMAGE);
    MUST(clWaitForEvents(1, &ev));
    gather(got, p, r[0] * PX, r[1], 1, rp, 0);
    expect_bytes("nonblocking-map-data", got, want, sizeof got);
    cl_event uev = NULL;
    MUST(clEnqueueUnmapMemObject(q, img, p, 0, NULL, &uev));
    MUST(clGetEventInfo(uev, CL_EVENT_COMMAND_TYPE, sizeof ct, &ct, NULL));
    expect_eq("event-command-type-unmap", ct, CL_COMMAND_UNMAP_MEM_OBJECT);
    MUST(clWaitForEvents(1, &uev));
    MUST(clReleaseEvent(uev));
  }
  if (ev) MUST(clReleaseEvent(ev));

  /* event_wait_list: "Specify events that need to complete before
   * clEnqueueMapImage can be executed." ... "The memory associated with
   * event_wait_list can be reused or freed after the function returns." */
  cl_event gate = clCreateUserEvent(ctx, &err);
  MUST(err);
  cl_event *list = malloc(sizeof *list);
  list[0] = gate;
  ev = NULL;
  p = clEnqueueMapImage(q, img, CL_FALSE, CL_MAP_READ, o, r, &rp, NULL, 1, list, &ev, &err);
  memset(list, 0, sizeof *list);
  free(list);
  EXPECT_CODE("gated-map", err, CL_SUCCESS);
  if (ev) {
    sleep_ms(100);
    cl_int st = CL_COMPLETE;
    MUST(clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof st, &st, NULL));
    EXPECT_TRUE("gated-map-waits-for-user-event", st > CL_COMPLETE);
  }
  MUST(clSetUserEventStatus(gate, CL_COMPLETE));
  if (ev) {
    EXPECT_CODE("gated-map-completes", clWaitForEvents(1, &ev), CL_SUCCESS);
    MUST(clReleaseEvent(ev));
  }
  if (p) {
    gather(got, p, r[0] * PX, r[1], 1, rp, 0);
    expect_bytes("gated-map-data", got, want, sizeof got);
    unmap(img, p);
  }
  MUST(clReleaseEvent(gate));

  /* A gated non-blocking write map, a non-blocking unmap: the bytes arrive. */
  gate = clCreateUserEvent(ctx, &err);
  MUST(err);
  ev = NULL;
  const size_t wo[3] = {20, 1, 0}, wr[3] = {6, 10, 1};
  p = clEnqueueMapImage(q, img, CL_FALSE, CL_MAP_WRITE, wo, wr, &rp, NULL, 1, &gate, &ev, &err);
  EXPECT_CODE("gated-write-map", err, CL_SUCCESS);
  MUST(clSetUserEventStatus(gate, CL_COMPLETE));
  if (p && ev) {
    MUST(clWaitForEvents(1, &ev));
    unsigned char box[6 * 10 * PX];
    fill_pattern(box, sizeof box, 90);
    scatter(p, box, wr[0] * PX, wr[1], 1, rp, 0);
    cl_event uev = NULL;
    MUST(clEnqueueUnmapMemObject(q, img, p, 0, NULL, &uev));
    MUST(clWaitForEvents(1, &uev));
    MUST(clReleaseEvent(uev));
    paste(data2d, box, W2, H2, wo, wr);
    static unsigned char all[sizeof data2d];
    const size_t whole[3] = {W2, H2, 1};
    read_box(img, ZERO, whole, all);
    expect_bytes("gated-write-map-reaches-image", all, data2d, sizeof all);
  }
  if (ev) MUST(clReleaseEvent(ev));
  MUST(clReleaseEvent(gate));

  /* A blocking map behind a completed event. */
  cl_event done = clCreateUserEvent(ctx, &err);
  MUST(err);
  MUST(clSetUserEventStatus(done, CL_COMPLETE));
  p = clEnqueueMapImage(q, img, CL_TRUE, CL_MAP_READ, o, r, &rp, NULL, 1, &done, NULL, &err);
  EXPECT_CODE("blocking-map-after-complete-event", err, CL_SUCCESS);
  if (p) {
    /* "If blocking_map is CL_TRUE, clEnqueueMapImage does not return until
     * the specified region in image is mapped into the host address space and
     * the application can access the contents of the mapped region". */
    cut(want, data2d, W2, H2, o, r);
    gather(got, p, r[0] * PX, r[1], 1, rp, 0);
    expect_bytes("blocking-map-data-on-return", got, want, sizeof got);
    unmap(img, p);
  }
  MUST(clReleaseEvent(done));
  MUST(clReleaseMemObject(img));
}

/* "The mapped pointer returned by clEnqueueMapBuffer or clEnqueueMapImage can
 * be used as ptr argument value to ... clEnqueueReadImage, and
 * clEnqueueWriteImage, provided the rules described above are adhered to." */
static void mapped_pointer_as_host_pointer(void) {
  cl_mem a = setup2d();
  cl_mem b = image2d(16, 8);
  const size_t r[3] = {16, 8, 1}, whole[3] = {W2, H2, 1};
  size_t rp = 0;
  cl_int err;
  unsigned char *p = map(a, CL_MAP_READ, ZERO, r, &rp, NULL, &err);
  MUST(err);
  /* The read-mapped box of a is written into b. */
  EXPECT_CODE("mapped-ptr-as-write-image-source",
              clEnqueueWriteImage(q, b, CL_TRUE, ZERO, r, rp, 0, p, 0, NULL, NULL), CL_SUCCESS);
  unmap(a, p);
  unsigned char got[16 * 8 * PX], want[16 * 8 * PX];
  read_box(b, ZERO, r, got);
  cut(want, data2d, W2, H2, ZERO, r);
  expect_bytes("mapped-ptr-as-write-image-source-data", got, want, sizeof got);

  /* b (new contents) is read into the write-mapped box of a. */
  fill_pattern(want, sizeof want, 80);
  write_box(b, ZERO, r, want);
  const size_t o[3] = {10, 4, 0};
  p = map(a, CL_MAP_WRITE, o, r, &rp, NULL, &err);
  MUST(err);
  EXPECT_CODE("mapped-ptr-as-read-image-dest",
              clEnqueueReadImage(q, b, CL_TRUE, ZERO, r, rp, 0, p, 0, NULL, NULL), CL_SUCCESS);
  unmap(a, p);
  static unsigned char all[sizeof data2d], all_want[sizeof data2d];
  memcpy(all_want, data2d, sizeof all_want);
  paste(all_want, want, W2, H2, o, r);
  read_box(a, ZERO, whole, all);
  expect_bytes("mapped-ptr-as-read-image-dest-data", all, all_want, sizeof all);
  MUST(clReleaseMemObject(b));
  MUST(clReleaseMemObject(a));
}

/* The error list in page order: with several rules broken at once, the code
 * listed first on the page is returned (docs/opencl.md, "Errors checked in
 * page order"). */
static void errors_in_page_order(cl_mem img, cl_command_queue other_q) {
  cl_mem buf = buffer(64);
  const size_t r0[3] = {0, 1, 1};
  /* flags 99 (invalid bits), region 0, no row pitch, a count without list */
  expect_map_err_full("order-queue-before-mem", NULL, buf, CL_TRUE, 99, ZERO, r0, NULL, NULL, 1, NULL,
                      CL_INVALID_COMMAND_QUEUE);
  expect_map_err_full("order-context-before-value", other_q, img, CL_TRUE, 99, ZERO, r0, NULL, NULL, 1,
                      NULL, CL_INVALID_CONTEXT);
  expect_map_err_full("order-mem-before-value", q, buf, CL_TRUE, 99, ZERO, r0, NULL, NULL, 1, NULL,
                      CL_INVALID_MEM_OBJECT);
  expect_map_err_full("order-value-before-wait-list", q, img, CL_TRUE, 99, ZERO, r0, NULL, NULL, 1, NULL,
                      CL_INVALID_VALUE);
  MUST(clReleaseMemObject(buf));
}

int main(void) {
  invalid_handles_isolated();
  blocking_map_after_failed_event_isolated();
  mip_create_isolated();
  env = open_env();
  q = env.queue;
  ctx = env.context;
  cl_int err;
  cl_context other = clCreateContext(NULL, 1, &env.device, NULL, NULL, &err);
  MUST(err);
  cl_command_queue other_q = clCreateCommandQueueWithProperties(other, env.device, NULL, &err);
  MUST(err);

  device_supports_images();
  map_read_2d();
  map_write_2d();
  every_image_type();
  origin_and_region_rules();
  out_of_bounds_and_bad_flags();
  cl_mem img = setup2d();
  invalid_command_queue(img);
  invalid_context(img, other, other_q);
  invalid_mem_object();
  invalid_event_wait_list(img);
  errors_in_page_order(img, other_q);
  unsupported_images_cannot_exist();
  host_ptr_images();
  host_access_flags();
  overlapping_write_maps();
  mip_levels();
  events_and_wait_lists();
  mapped_pointer_as_host_pointer();

  /* "A NULL pointer is returned otherwise with one of the following error
   * values returned in errcode_ret" */
  expect_eq("err-returns-null-pointer", nonnull_on_error, 0); /* refusals that returned a pointer */
  expect_eq("map-count-zero-at-end", map_count(img), 0);
  MUST(clReleaseMemObject(img));
  MUST(clReleaseCommandQueue(other_q));
  MUST(clReleaseContext(other));
  close_env(&env);
  return summary();
}
