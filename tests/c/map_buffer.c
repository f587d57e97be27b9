/* clEnqueueMapBuffer (with clEnqueueUnmapMemObject) through the ICD loader:
 * one check per sentence of /work/shared/spec/clEnqueueMapBuffer.md that the
 * API can provoke (parameter rules, notes, error list), quoted above each
 * check. Mirrors tests/tests/cl_map_buffer.rs; interpretations as in
 * docs/opencl.md ("Sentences interpreted").
 *
 * Calls with a released handle, or a handle of the wrong kind, are undefined
 * for a loader that dereferences the handle; they run in a forked child so a
 * crash is a failed check instead of the end of the program; calls that may
 * wait forever run on a thread with a time limit. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SIZE 4096
#define SEED 21

static cl_env env;
static unsigned char data[SIZE]; /* what the set-up buffer holds */

static cl_mem make_buffer(cl_context ctx, cl_mem_flags flags, size_t size, void *host) {
  cl_int err;
  cl_mem m = clCreateBuffer(ctx, flags, size, host, &err);
  MUST(err);
  return m;
}

/* A SIZE-byte buffer holding `data`. */
static cl_mem setup(void) {
  cl_mem b = make_buffer(env.context, 0, SIZE, NULL);
  MUST(clEnqueueWriteBuffer(env.queue, b, CL_TRUE, 0, SIZE, data, 0, NULL, NULL));
  return b;
}

static void read_back(cl_mem b, size_t off, void *out, size_t n) {
  MUST(clEnqueueReadBuffer(env.queue, b, CL_TRUE, off, n, out, 0, NULL, NULL));
}

/* Blocking map on the main queue, no wait list, no event. */
static void *map(cl_mem b, cl_map_flags flags, size_t off, size_t size, cl_int *err) {
  *err = 1; /* not an OpenCL code: shows when errcode_ret was left alone */
  return clEnqueueMapBuffer(env.queue, b, CL_TRUE, flags, off, size, 0, NULL, NULL, err);
}

/* Set-up map: must succeed. */
static void *map_ok(cl_mem b, cl_map_flags flags, size_t off, size_t size) {
  cl_int err;
  void *p = map(b, flags, off, size, &err);
  MUST(err);
  if (!p) { printf("SETUP FAILED map returned NULL with CL_SUCCESS\n"); exit(2); }
  return p;
}

static void unmap(cl_mem m, void *p) {
  MUST(clEnqueueUnmapMemObject(env.queue, m, p, 0, NULL, NULL));
}

/* CL_MEM_MAP_COUNT once every command queued so far has completed. */
static cl_uint map_count(cl_mem m) {
  cl_uint c = 0;
  MUST(clFinish(env.queue));
  MUST(clGetMemObjectInfo(m, CL_MEM_MAP_COUNT, sizeof c, &c, NULL));
  return c;
}

/* CL_MEM_MAP_COUNT must be `want`. clGetMemObjectInfo: "The map count
 * returned should be considered immediately stale." — so after clFinish the
 * count is given a moment (up to 100 ms) to settle before it is judged. */
static void expect_map_count(const char *name, cl_mem m, cl_uint want) {
  cl_uint got = map_count(m);
  for (int i = 0; i < 50 && got != want; i++) {
    struct timespec ts = {0, 2 * 1000 * 1000};
    nanosleep(&ts, NULL);
    MUST(clGetMemObjectInfo(m, CL_MEM_MAP_COUNT, sizeof got, &got, NULL));
  }
  check(name, got == want, "CL_MEM_MAP_COUNT is %lld, the spec says %lld", got, want);
}

/* A map that the spec refuses with `want`; if it is mapped anyway (another
 * implementation), unmap it so later checks start from a clean state. */
static void expect_map_error(const char *name, cl_mem b, cl_map_flags flags, size_t off,
                             size_t size, cl_int want) {
  cl_int err;
  void *p = map(b, flags, off, size, &err);
  EXPECT_CODE(name, err, want);
  if (p) {
    unmap(b, p);
    MUST(clFinish(env.queue));
  }
}

/* ---- calls isolated in a child process ---------------------------------- */

#define DID_NOT_RETURN 2 /* not an OpenCL code: the call crashed or hung */

typedef struct {
  cl_command_queue q;
  cl_mem b;
  cl_map_flags flags;
  size_t off, size;
  cl_uint n;
  const cl_event *list;
  void *ptr; /* for unmap */
} call_args;

static cl_int do_map(const call_args *a) {
  cl_int err = 1;
  (void)clEnqueueMapBuffer(a->q, a->b, CL_FALSE, a->flags, a->off, a->size, a->n, a->list, NULL,
                           &err);
  return err;
}

static cl_int do_unmap(const call_args *a) {
  return clEnqueueUnmapMemObject(a->q, a->b, a->ptr, a->n, a->list, NULL);
}

typedef struct { cl_int (*fn)(const call_args *); const call_args *a; } child_call;

static void child_body(const void *arg, void *out) {
  const child_call *c = arg;
  *(cl_int *)out = c->fn(c->a);
}

static cl_int isolated(cl_int (*fn)(const call_args *), const call_args *a) {
  MUST(clFinish(env.queue)); /* nothing in flight while forking */
  child_call call = {fn, a};
  cl_int e = 0;
  int st;
  if (!run_in_child(child_body, &call, &e, sizeof e, &st)) {
    if (WIFSIGNALED(st))
      printf("note: the call did not return (signal %d)\n", WTERMSIG(st));
    else
      printf("note: the call did not return (exit %d)\n", WEXITSTATUS(st));
    return DID_NOT_RETURN;
  }
  return e;
}

static cl_int isolated_map(cl_command_queue q, cl_mem b, cl_uint n, const cl_event *list) {
  call_args a = {q, b, CL_MAP_READ, 0, 4, n, list, NULL};
  return isolated(do_map, &a);
}

/* ---- map_flags ---------------------------------------------------------- */

/* "CL_MAP_READ ... The pointer returned by clEnqueueMap{Buffer ...}
 * [is] guaranteed to contain the latest bits in the region being mapped when
 * the clEnqueueMap{Buffer ...} command has completed." */
static void test_map_read(void) {
  cl_mem b = setup();
  void *p = map_ok(b, CL_MAP_READ, 1000, 300);
  expect_bytes("map-read-latest-bits", p, data + 1000, 300);
  unmap(b, p);
  /* The latest bits include a write still queued when the map is enqueued. */
  unsigned char fresh[200];
  fill_pattern(fresh, sizeof fresh, 31);
  MUST(clEnqueueWriteBuffer(env.queue, b, CL_FALSE, 2000, sizeof fresh, fresh, 0, NULL, NULL));
  p = map_ok(b, CL_MAP_READ, 2000, sizeof fresh);
  expect_bytes("map-read-after-queued-write", p, fresh, sizeof fresh);
  unmap(b, p);
  MUST(clFinish(env.queue));
  MUST(clReleaseMemObject(b));
}

/* "CL_MAP_WRITE ... This flag specifies that the region being mapped in the
 * memory object is being mapped for writing. The pointer returned ...
 * guaranteed to contain the latest bits in the region being mapped": what
 * the host writes is in the buffer after the unmap, nothing around it
 * changed. */
static void test_map_write(void) {
  cl_mem b = setup();
  unsigned char *p = map_ok(b, CL_MAP_WRITE, 64, 100);
  expect_bytes("map-write-latest-bits", p, data + 64, 100);
  memset(p, 0x3C, 100);
  unmap(b, p);
  unsigned char want[SIZE], got[SIZE];
  memcpy(want, data, SIZE);
  memset(want + 64, 0x3C, 100);
  read_back(b, 0, got, SIZE);
  expect_bytes("map-write-reaches-buffer", got, want, SIZE);
  MUST(clReleaseMemObject(b));
}

/* "CL_MAP_WRITE_INVALIDATE_REGION ... The contents of the region being
 * mapped are to be discarded. This is typically the case when the region
 * being mapped is overwritten by the host.": the host overwrites the region,
 * the unmap brings it to the buffer, bytes outside keep their values. */
static void test_map_write_invalidate(void) {
  cl_mem b = setup();
  unsigned char *p = map_ok(b, CL_MAP_WRITE_INVALIDATE_REGION, 128, 256);
  unsigned char fresh[256];
  fill_pattern(fresh, sizeof fresh, 22);
  memcpy(p, fresh, sizeof fresh);
  unmap(b, p);
  unsigned char want[SIZE], got[SIZE];
  memcpy(want, data, SIZE);
  memcpy(want + 128, fresh, sizeof fresh);
  read_back(b, 0, got, SIZE);
  expect_bytes("map-write-invalidate-region", got, want, SIZE);
  MUST(clReleaseMemObject(b));
}

/* "CL_MAP_READ or CL_MAP_WRITE and CL_MAP_WRITE_INVALIDATE_REGION are
 * mutually exclusive." → "CL_INVALID_VALUE if ... values specified in
 * map_flags are not valid." */
static void test_map_flags(void) {
  cl_mem b = setup();
  expect_map_error("err-flags-read-and-invalidate", b,
                   CL_MAP_READ | CL_MAP_WRITE_INVALIDATE_REGION, 0, 16, CL_INVALID_VALUE);
  expect_map_error("err-flags-write-and-invalidate", b,
                   CL_MAP_WRITE | CL_MAP_WRITE_INVALIDATE_REGION, 0, 16, CL_INVALID_VALUE);
  expect_map_error("err-flags-unknown-bit", b, (cl_map_flags)1 << 3, 0, 16, CL_INVALID_VALUE);
  expect_map_error("err-flags-read-and-unknown-bit", b, CL_MAP_READ | (cl_map_flags)1 << 20, 0,
                   16, CL_INVALID_VALUE);
  /* "A NULL pointer is returned otherwise": a refused map maps nothing. */
  expect_map_count("err-flags-map-count-zero", b, 0);
  MUST(clReleaseMemObject(b));
}

/* "CL_INVALID_VALUE if region being mapped given by (offset, size) is out of
 * bounds or if size is 0" */
static void test_region(void) {
  cl_mem b = setup();
  expect_map_error("err-region-past-end", b, CL_MAP_READ, 4000, 97, CL_INVALID_VALUE);
  expect_map_error("err-offset-at-end", b, CL_MAP_READ, SIZE, 1, CL_INVALID_VALUE);
  expect_map_error("err-offset-overflows", b, CL_MAP_READ, SIZE_MAX, 2, CL_INVALID_VALUE);
  expect_map_error("err-size-zero", b, CL_MAP_READ, 0, 0, CL_INVALID_VALUE);
  /* "The returned pointer maps a region starting at offset and is at least
   * size bytes in size." — the last bytes of the buffer map. */
  cl_int err;
  void *p = map(b, CL_MAP_READ, 4000, 96, &err);
  EXPECT_CODE("map-region-at-end", err, CL_SUCCESS);
  if (p) {
    expect_bytes("map-region-at-end-bytes", p, data + 4000, 96);
    unmap(b, p);
  }
  MUST(clFinish(env.queue));
  MUST(clReleaseMemObject(b));
}

/* ---- errcode_ret and the returned pointer ------------------------------- */

static void test_errcode_ret(void) {
  cl_mem b = setup();
  /* "clEnqueueMapBuffer will return a pointer to the mapped region. The
   * errcode_ret is set to CL_SUCCESS." */
  cl_int err = 1;
  void *p = map(b, CL_MAP_READ, 0, 16, &err);
  EXPECT_CODE("success-sets-errcode", err, CL_SUCCESS);
  EXPECT_TRUE("success-returns-pointer", p != NULL);
  if (p) unmap(b, p);
  /* "A NULL pointer is returned otherwise with one of the following error
   * values returned in errcode_ret" */
  p = map(b, CL_MAP_READ, 0, 0, &err);
  EXPECT_TRUE("error-returns-null", p == NULL);
  if (p) unmap(b, p);
  /* "If errcode_ret is NULL, no error code is returned." */
  p = clEnqueueMapBuffer(env.queue, b, CL_TRUE, CL_MAP_READ, 8, 16, 0, NULL, NULL, NULL);
  EXPECT_TRUE("errcode-null-map-works", p != NULL);
  if (p) {
    expect_bytes("errcode-null-map-bytes", p, data + 8, 16);
    unmap(b, p);
  }
  p = clEnqueueMapBuffer(env.queue, b, CL_TRUE, CL_MAP_READ, 0, 0, 0, NULL, NULL, NULL);
  EXPECT_TRUE("errcode-null-error-returns-null", p == NULL);
  if (p) unmap(b, p);
  MUST(clFinish(env.queue));
  MUST(clReleaseMemObject(b));
}

/* ---- command_queue, context, buffer ------------------------------------- */

/* "CL_INVALID_COMMAND_QUEUE if command_queue is not a valid host
 * command-queue." */
static void test_invalid_command_queue(void) {
  cl_mem b = setup();
  cl_int err;
  void *p = clEnqueueMapBuffer(NULL, b, CL_TRUE, CL_MAP_READ, 0, 4, 0, NULL, NULL, &err);
  EXPECT_CODE("err-invalid-command-queue-null", err, CL_INVALID_COMMAND_QUEUE);
  if (p) unmap(b, p);
  cl_command_queue gone =
      clCreateCommandQueueWithProperties(env.context, env.device, NULL, &err);
  MUST(err);
  MUST(clReleaseCommandQueue(gone));
  EXPECT_CODE("err-invalid-command-queue-released", isolated_map(gone, b, 0, NULL),
              CL_INVALID_COMMAND_QUEUE);
  EXPECT_CODE("err-invalid-command-queue-not-a-queue",
              isolated_map((cl_command_queue)(void *)b, b, 0, NULL), CL_INVALID_COMMAND_QUEUE);
  MUST(clReleaseMemObject(b));
}

/* "CL_INVALID_CONTEXT if the context associated with command_queue and
 * buffer are not the same or if the context associated with command_queue
 * and events in event_wait_list are not the same." */
static void test_invalid_context(void) {
  cl_mem b = setup();
  cl_int err;
  cl_context other = clCreateContext(NULL, 1, &env.device, NULL, NULL, &err);
  MUST(err);
  cl_command_queue other_q = clCreateCommandQueueWithProperties(other, env.device, NULL, &err);
  MUST(err);
  void *p = clEnqueueMapBuffer(other_q, b, CL_TRUE, CL_MAP_READ, 0, 4, 0, NULL, NULL, &err);
  EXPECT_CODE("err-invalid-context-buffer", err, CL_INVALID_CONTEXT);
  if (p) MUST(clEnqueueUnmapMemObject(other_q, b, p, 0, NULL, NULL));
  cl_event ev = clCreateUserEvent(other, &err);
  MUST(err);
  MUST(clSetUserEventStatus(ev, CL_COMPLETE));
  p = clEnqueueMapBuffer(env.queue, b, CL_TRUE, CL_MAP_READ, 0, 4, 1, &ev, NULL, &err);
  EXPECT_CODE("err-invalid-context-event", err, CL_INVALID_CONTEXT);
  if (p) unmap(b, p);
  MUST(clFinish(other_q));
  MUST(clFinish(env.queue));
  MUST(clReleaseEvent(ev));
  MUST(clReleaseCommandQueue(other_q));
  MUST(clReleaseContext(other));
  MUST(clReleaseMemObject(b));
}

/* "CL_INVALID_MEM_OBJECT if buffer is not a valid image object." (sic: read
 * as "not a valid buffer object", docs/opencl.md) */
static void test_invalid_mem_object(void) {
  cl_int err;
  cl_image_format fmt = {CL_RGBA, CL_UNORM_INT8};
  cl_image_desc d;
  memset(&d, 0, sizeof d);
  d.image_type = CL_MEM_OBJECT_IMAGE2D;
  d.image_width = 4;
  d.image_height = 4;
  cl_mem img = clCreateImage(env.context, 0, &fmt, &d, NULL, &err);
  MUST(err);
  expect_map_error("err-invalid-mem-object-image", img, CL_MAP_READ, 0, 4,
                   CL_INVALID_MEM_OBJECT);
  void *p = map(NULL, CL_MAP_READ, 0, 4, &err);
  EXPECT_CODE("err-invalid-mem-object-null", err, CL_INVALID_MEM_OBJECT);
  (void)p;
  cl_mem gone = make_buffer(env.context, 0, 64, NULL);
  MUST(clReleaseMemObject(gone));
  EXPECT_CODE("err-invalid-mem-object-released", isolated_map(env.queue, gone, 0, NULL),
              CL_INVALID_MEM_OBJECT);
  MUST(clReleaseMemObject(img));
}

/* ---- wait lists and events ---------------------------------------------- */

/* "CL_INVALID_EVENT_WAIT_LIST if event_wait_list is NULL and
 * num_events_in_wait_list > 0, or event_wait_list is not NULL and
 * num_events_in_wait_list is 0, or if event objects in event_wait_list are
 * not valid events." */
static void test_invalid_event_wait_list(void) {
  cl_mem b = setup();
  cl_int err;
  cl_event ev = clCreateUserEvent(env.context, &err);
  MUST(err);
  void *p = clEnqueueMapBuffer(env.queue, b, CL_FALSE, CL_MAP_READ, 0, 4, 2, NULL, NULL, &err);
  EXPECT_CODE("err-wait-list-null-count-2", err, CL_INVALID_EVENT_WAIT_LIST);
  if (p) unmap(b, p);
  p = clEnqueueMapBuffer(env.queue, b, CL_FALSE, CL_MAP_READ, 0, 4, 0, &ev, NULL, &err);
  EXPECT_CODE("err-wait-list-count-0", err, CL_INVALID_EVENT_WAIT_LIST);
  if (p) unmap(b, p);
  cl_event not_event = (cl_event)(void *)b;
  EXPECT_CODE("err-wait-list-not-an-event", isolated_map(env.queue, b, 1, &not_event),
              CL_INVALID_EVENT_WAIT_LIST);
  cl_event gone = clCreateUserEvent(env.context, &err);
  MUST(err);
  MUST(clSetUserEventStatus(gone, CL_COMPLETE));
  MUST(clReleaseEvent(gone));
  EXPECT_CODE("err-wait-list-released-event", isolated_map(env.queue, b, 1, &gone),
              CL_INVALID_EVENT_WAIT_LIST);
  expect_map_count("err-wait-list-map-count-zero", b, 0);
  MUST(clSetUserEventStatus(ev, CL_COMPLETE));
  MUST(clReleaseEvent(ev));
  MUST(clReleaseMemObject(b));
}

/* blocking_map = CL_FALSE: "the pointer to the mapped region returned by
 * clEnqueueMapBuffer cannot be used until the map command has completed. The
 * event argument returns an event object which can be used to query the
 * execution status of the map command. When the map command is completed,
 * the application can access the contents of the mapped region". */
static void test_non_blocking_map(void) {
  cl_mem b = setup();
  cl_int err;
  cl_event gate = clCreateUserEvent(env.context, &err);
  MUST(err);
  /* "The memory associated with event_wait_list can be reused or freed after
   * the function returns." */
  cl_event *list = malloc(sizeof *list);
  if (!list) { printf("SETUP FAILED malloc\n"); exit(2); }
  list[0] = gate;
  cl_event ev = NULL;
  unsigned char *p =
      clEnqueueMapBuffer(env.queue, b, CL_FALSE, CL_MAP_READ, 0, 64, 1, list, &ev, &err);
  list[0] = NULL;
  free(list);
  EXPECT_CODE("nonblocking-map-enqueued", err, CL_SUCCESS);
  if (err != CL_SUCCESS || !p || !ev) {
    MUST(clSetUserEventStatus(gate, CL_COMPLETE));
    MUST(clReleaseEvent(gate));
    MUST(clReleaseMemObject(b));
    return;
  }
  /* "Returns an event object that identifies this particular copy command" */
  cl_command_type type = 0;
  MUST(clGetEventInfo(ev, CL_EVENT_COMMAND_TYPE, sizeof type, &type, NULL));
  EXPECT_TRUE("event-command-type-map-buffer", type == CL_COMMAND_MAP_BUFFER);
  cl_command_queue eq = NULL;
  MUST(clGetEventInfo(ev, CL_EVENT_COMMAND_QUEUE, sizeof eq, &eq, NULL));
  EXPECT_TRUE("event-command-queue", eq == env.queue);
  /* "Specify events that need to complete before this particular command can
   * be executed." — the gate is still open. */
  cl_int status = 0;
  MUST(clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL));
  EXPECT_TRUE("nonblocking-map-waits-for-list", status > CL_COMPLETE);
  MUST(clSetUserEventStatus(gate, CL_COMPLETE));
  MUST(clWaitForEvents(1, &ev));
  MUST(clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL));
  EXPECT_TRUE("nonblocking-map-event-complete", status == CL_COMPLETE);
  expect_bytes("nonblocking-map-bytes", p, data, 64);
  unmap(b, p);
  MUST(clReleaseEvent(ev));

  /* "event can be NULL in which case it will not be possible for the
   * application to query the status of this command": the map still runs;
   * clFinish tells it completed. */
  p = clEnqueueMapBuffer(env.queue, b, CL_FALSE, CL_MAP_READ, 512, 64, 0, NULL, NULL, &err);
  EXPECT_CODE("nonblocking-map-event-null", err, CL_SUCCESS);
  if (p) {
    MUST(clFinish(env.queue));
    expect_bytes("nonblocking-map-event-null-bytes", p, data + 512, 64);
    unmap(b, p);
  }

  /* blocking_map = CL_TRUE: "clEnqueueMapBuffer does not return until the
   * specified region in buffer is mapped into the host address space and the
   * application can access the contents" — also behind a wait list. */
  cl_event done = clCreateUserEvent(env.context, &err);
  MUST(err);
  MUST(clSetUserEventStatus(done, CL_COMPLETE));
  p = clEnqueueMapBuffer(env.queue, b, CL_TRUE, CL_MAP_READ, 1024, 64, 1, &done, NULL, &err);
  EXPECT_CODE("blocking-map-with-wait-list", err, CL_SUCCESS);
  if (p) {
    expect_bytes("blocking-map-with-wait-list-bytes", p, data + 1024, 64);
    unmap(b, p);
  }
  MUST(clFinish(env.queue));
  MUST(clReleaseEvent(done));
  MUST(clReleaseEvent(gate));
  MUST(clReleaseMemObject(b));
}

/* Calls that may never return (an implementation that leaves a command
 * behind a failed event queued forever) run on a thread; after TIMEOUT
 * seconds the check fails and the thread is left behind (with its queue). */
#define TIMEOUT 10

typedef struct {
  cl_command_queue q;
  cl_mem b;
  cl_event ev;     /* the wait list's one event */
  cl_event *out;   /* event argument */
  void *ptr;       /* what the map returned */
  cl_int result;
  atomic_int done;
} timed_call;

static void *blocking_map_thread(void *arg) {
  timed_call *t = arg;
  t->result = 1;
  t->ptr = clEnqueueMapBuffer(t->q, t->b, CL_TRUE, CL_MAP_READ, 0, 4, 1, &t->ev, t->out,
                              &t->result);
  atomic_store(&t->done, 1);
  return NULL;
}

static void *wait_thread(void *arg) {
  timed_call *t = arg;
  t->result = clWaitForEvents(1, &t->ev);
  atomic_store(&t->done, 1);
  return NULL;
}

/* 1 if the call returned in time (t->result holds its code). */
static int run_timed(void *(*fn)(void *), timed_call *t) {
  atomic_store(&t->done, 0);
  pthread_t th;
  if (pthread_create(&th, NULL, fn, t) != 0) { printf("SETUP FAILED pthread_create\n"); exit(2); }
  for (int i = 0; i < TIMEOUT * 100 && !atomic_load(&t->done); i++) {
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  if (!atomic_load(&t->done)) {
    printf("note: the call did not return within %d s\n", TIMEOUT);
    pthread_detach(th);
    return 0;
  }
  pthread_join(th, NULL);
  return 1;
}

/* "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST if the map operation is
 * blocking and the execution status of any of the events in event_wait_list
 * is a negative integer value." (Each map on its own queue: a failed or
 * stuck command stays out of the main queue.) */
static void test_failed_wait_list_event(void) {
  cl_mem b = setup();
  cl_int err;
  cl_event bad = clCreateUserEvent(env.context, &err);
  MUST(err);
  MUST(clSetUserEventStatus(bad, -5));
  timed_call *t = calloc(1, sizeof *t); /* leaked if its thread is stuck */
  if (!t) { printf("SETUP FAILED calloc\n"); exit(2); }
  t->q = clCreateCommandQueueWithProperties(env.context, env.device, NULL, &err);
  MUST(err);
  t->b = b;
  t->ev = bad;
  if (run_timed(blocking_map_thread, t)) {
    EXPECT_CODE("err-exec-status-blocking", t->result,
                CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
    EXPECT_TRUE("err-exec-status-blocking-null", t->ptr == NULL);
    clFinish(t->q); /* may report the failed command */
    cl_uint count = 0;
    MUST(clGetMemObjectInfo(b, CL_MEM_MAP_COUNT, sizeof count, &count, NULL));
    EXPECT_TRUE("err-exec-status-map-count-zero", count == 0);
    MUST(clReleaseCommandQueue(t->q));
    free(t);
  } else {
    EXPECT_CODE("err-exec-status-blocking", DID_NOT_RETURN,
                CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
  }
  /* Non-blocking: the call succeeds (the rule is for blocking maps), the
   * command fails. */
  cl_command_queue q = clCreateCommandQueueWithProperties(env.context, env.device, NULL, &err);
  MUST(err);
  cl_event ev = NULL;
  void *p = clEnqueueMapBuffer(q, b, CL_FALSE, CL_MAP_READ, 0, 4, 1, &bad, &ev, &err);
  EXPECT_CODE("nonblocking-map-failed-list-enqueued", err, CL_SUCCESS);
  EXPECT_TRUE("nonblocking-map-failed-list-pointer", p != NULL);
  if (ev) {
    /* clWaitForEvents: "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST if the
     * execution status of any of the events in event_list is a negative
     * integer value." */
    t = calloc(1, sizeof *t);
    if (!t) { printf("SETUP FAILED calloc\n"); exit(2); }
    t->ev = ev;
    int returned = run_timed(wait_thread, t);
    EXPECT_CODE("nonblocking-map-failed-list-wait", returned ? t->result : DID_NOT_RETURN,
                CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
    /* clGetEventInfo: the status is "a negative integer value indicating
     * the command was abnormally terminated". */
    cl_int status = 0;
    MUST(clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL));
    check("nonblocking-map-failed-list-status", status < 0,
          "execution status %lld, the spec says negative (%lld)", status,
          CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
    if (returned) {
      clFinish(q); /* may report the failed command */
      MUST(clReleaseEvent(ev));
      MUST(clReleaseCommandQueue(q));
      free(t);
    }
  }
  MUST(clReleaseEvent(bad));
  MUST(clReleaseMemObject(b));
}

/* ---- sub-buffers -------------------------------------------------------- */

/* "CL_MISALIGNED_SUB_BUFFER_OFFSET if buffer is a sub-buffer object and
 * offset specified when the sub-buffer object is created is not aligned to
 * CL_DEVICE_MEM_BASE_ADDR_ALIGN value for device associated with queue.":
 * with one device such a sub-buffer is refused at creation with this code
 * (docs/opencl.md); an aligned one maps its own bytes. */
static size_t align_bytes(void) {
  cl_uint bits = 0;
  MUST(clGetDeviceInfo(env.device, CL_DEVICE_MEM_BASE_ADDR_ALIGN, sizeof bits, &bits, NULL));
  return bits / 8 ? bits / 8 : 1;
}

static cl_mem sub_buffer(cl_mem parent, cl_mem_flags flags, size_t origin, size_t size,
                         cl_int *err) {
  cl_buffer_region r = {origin, size};
  return clCreateSubBuffer(parent, flags, CL_BUFFER_CREATE_TYPE_REGION, &r, err);
}

static void test_sub_buffers(void) {
  size_t align = align_bytes();
  printf("CL_DEVICE_MEM_BASE_ADDR_ALIGN: %zu bytes\n", align);
  size_t total = 2 * align + 512;
  unsigned char *bytes = malloc(total), *got = malloc(total), *want = malloc(total);
  if (!bytes || !got || !want) { printf("SETUP FAILED malloc\n"); exit(2); }
  fill_pattern(bytes, total, 41);
  cl_mem b = make_buffer(env.context, 0, total, NULL);
  MUST(clEnqueueWriteBuffer(env.queue, b, CL_TRUE, 0, total, bytes, 0, NULL, NULL));
  cl_int err;
  if (align > 1) {
    cl_mem mis = sub_buffer(b, 0, align / 2, 64, &err);
    EXPECT_CODE("err-misaligned-sub-buffer-offset", err, CL_MISALIGNED_SUB_BUFFER_OFFSET);
    if (mis) MUST(clReleaseMemObject(mis));
    mis = sub_buffer(b, 0, 1, 64, &err);
    EXPECT_CODE("err-misaligned-sub-buffer-offset-1", err, CL_MISALIGNED_SUB_BUFFER_OFFSET);
    if (mis) MUST(clReleaseMemObject(mis));
  }
  size_t origin = 2 * align;
  cl_mem sub = sub_buffer(b, 0, origin, 256, &err);
  MUST(err);
  void *p = map(sub, CL_MAP_READ, 10, 20, &err);
  EXPECT_CODE("map-sub-buffer-read", err, CL_SUCCESS);
  if (p) {
    expect_bytes("map-sub-buffer-read-bytes", p, bytes + origin + 10, 20);
    unmap(sub, p);
  }
  /* A sub-buffer's region rules are its own: "(offset, size) is out of
   * bounds" of the sub-buffer. */
  expect_map_error("err-sub-buffer-region-past-end", sub, CL_MAP_READ, 200, 57,
                   CL_INVALID_VALUE);
  /* A write map of the sub-buffer reaches the parent's bytes, nothing else. */
  unsigned char *w = map(sub, CL_MAP_WRITE, 100, 50, &err);
  EXPECT_CODE("map-sub-buffer-write", err, CL_SUCCESS);
  if (w) {
    memset(w, 0xA5, 50);
    unmap(sub, w);
    memcpy(want, bytes, total);
    memset(want + origin + 100, 0xA5, 50);
    MUST(clEnqueueReadBuffer(env.queue, b, CL_TRUE, 0, total, got, 0, NULL, NULL));
    expect_bytes("map-sub-buffer-write-reaches-parent", got, want, total);
  }
  MUST(clFinish(env.queue));
  MUST(clReleaseMemObject(sub));
  MUST(clReleaseMemObject(b));
  free(bytes);
  free(got);
  free(want);
}

/* ---- host memory -------------------------------------------------------- */

/* "CL_MAP_FAILURE if there is a failure to map the requested region into the
 * host address space. This error cannot occur for buffer objects created
 * with CL_MEM_USE_HOST_PTR or CL_MEM_ALLOC_HOST_PTR.": many maps of such
 * buffers at once all succeed, USE_HOST_PTR ones in place. */
static void test_host_memory_maps(void) {
  enum { HSIZE = 64 * 1024, N = 8, MSIZE = 32 * 1024 };
  unsigned char *host = aligned_alloc(4096, HSIZE);
  if (!host) { printf("SETUP FAILED aligned_alloc\n"); exit(2); }
  fill_pattern(host, HSIZE, 23);
  cl_mem used = make_buffer(env.context, CL_MEM_USE_HOST_PTR, HSIZE, host);
  cl_mem alloc = make_buffer(env.context, CL_MEM_ALLOC_HOST_PTR, HSIZE, NULL);
  MUST(clEnqueueWriteBuffer(env.queue, alloc, CL_TRUE, 0, HSIZE, host, 0, NULL, NULL));
  void *up[N], *ap[N];
  int used_ok = 1, alloc_ok = 1, derived = 1, used_bits = 1, alloc_bits = 1;
  for (int i = 0; i < N; i++) {
    size_t off = (size_t)i * 4096;
    cl_int e1, e2;
    up[i] = map(used, CL_MAP_READ, off, MSIZE, &e1);
    ap[i] = map(alloc, CL_MAP_READ, off, MSIZE, &e2);
    if (e1 != CL_SUCCESS || !up[i]) used_ok = 0;
    if (e2 != CL_SUCCESS || !ap[i]) alloc_ok = 0;
    if (up[i] != host + off) derived = 0;
    if (up[i] && memcmp(up[i], host + off, MSIZE) != 0) used_bits = 0;
    if (ap[i] && memcmp(ap[i], host + off, MSIZE) != 0) alloc_bits = 0;
  }
  EXPECT_TRUE("use-host-ptr-maps-succeed", used_ok);
  EXPECT_TRUE("alloc-host-ptr-maps-succeed", alloc_ok);
  /* "The pointer value returned by clEnqueueMapBuffer will be derived from
   * the host_ptr specified when the buffer object is created." */
  EXPECT_TRUE("use-host-ptr-maps-derived", derived);
  EXPECT_TRUE("use-host-ptr-maps-bytes", used_bits);
  EXPECT_TRUE("alloc-host-ptr-maps-bytes", alloc_bits);
  for (int i = 0; i < N; i++) {
    if (up[i]) unmap(used, up[i]);
    if (ap[i]) unmap(alloc, ap[i]);
  }
  /* CL_MAP_WRITE on an ALLOC_HOST_PTR buffer reaches it at the unmap. */
  unsigned char *w = map(alloc, CL_MAP_WRITE, 100, 40, &(cl_int){0});
  if (w) {
    memset(w, 0x5A, 40);
    unmap(alloc, w);
    unsigned char *got = malloc(HSIZE), *want = malloc(HSIZE);
    if (!got || !want) { printf("SETUP FAILED malloc\n"); exit(2); }
    memcpy(want, host, HSIZE);
    memset(want + 100, 0x5A, 40);
    MUST(clEnqueueReadBuffer(env.queue, alloc, CL_TRUE, 0, HSIZE, got, 0, NULL, NULL));
    expect_bytes("alloc-host-ptr-map-write-reaches-buffer", got, want, HSIZE);
    free(got);
    free(want);
  } else {
    EXPECT_TRUE("alloc-host-ptr-map-write-reaches-buffer", 0);
  }
  MUST(clFinish(env.queue));
  MUST(clReleaseMemObject(used));
  MUST(clReleaseMemObject(alloc));
  free(host);
}

/* "If the buffer object is created with CL_MEM_USE_HOST_PTR set in
 * mem_flags, the following will be true: The host_ptr specified in
 * clCreateBuffer is guaranteed to contain the latest bits in the region
 * being mapped when the clEnqueueMapBuffer command has completed. The
 * pointer value returned by clEnqueueMapBuffer will be derived from the
 * host_ptr specified when the buffer object is created." */
static void test_use_host_ptr(void) {
  enum { HSIZE = 8192 };
  unsigned char *host = aligned_alloc(4096, HSIZE);
  unsigned char src_bytes[HSIZE], want[HSIZE], got[HSIZE];
  if (!host) { printf("SETUP FAILED aligned_alloc\n"); exit(2); }
  memset(host, 0, HSIZE);
  cl_mem b = make_buffer(env.context, CL_MEM_USE_HOST_PTR, HSIZE, host);
  fill_pattern(src_bytes, HSIZE, 24);
  cl_mem src = make_buffer(env.context, 0, HSIZE, NULL);
  MUST(clEnqueueWriteBuffer(env.queue, src, CL_TRUE, 0, HSIZE, src_bytes, 0, NULL, NULL));
  /* The device writes the buffer; the map makes the bits visible. */
  MUST(clEnqueueCopyBuffer(env.queue, src, b, 0, 0, HSIZE, 0, NULL, NULL));
  cl_int err;
  unsigned char *p = map(b, CL_MAP_READ | CL_MAP_WRITE, 500, 1000, &err);
  EXPECT_CODE("use-host-ptr-map", err, CL_SUCCESS);
  if (p) {
    EXPECT_TRUE("use-host-ptr-pointer-derived", p == host + 500);
    expect_bytes("use-host-ptr-host-ptr-latest-bits", host + 500, src_bytes + 500, 1000);
    expect_bytes("use-host-ptr-map-latest-bits", p, src_bytes + 500, 1000);
    memset(p, 9, 10);
    unmap(b, p);
    memcpy(want, src_bytes, HSIZE);
    memset(want + 500, 9, 10);
    read_back(b, 0, got, HSIZE);
    expect_bytes("use-host-ptr-write-reaches-buffer", got, want, HSIZE);
  }
  /* A sub-buffer's pointers are derived from host_ptr too. */
  size_t align = align_bytes();
  size_t origin = (4096 + align - 1) / align * align;
  if (origin + 1024 <= HSIZE) {
    cl_mem sub = sub_buffer(b, 0, origin, 1024, &err);
    MUST(err);
    p = map(sub, CL_MAP_READ, 8, 8, &err);
    EXPECT_CODE("use-host-ptr-sub-buffer-map", err, CL_SUCCESS);
    if (p) {
      EXPECT_TRUE("use-host-ptr-sub-buffer-pointer-derived", p == host + origin + 8);
      unmap(sub, p);
    }
    MUST(clFinish(env.queue));
    MUST(clReleaseMemObject(sub));
  }
  MUST(clFinish(env.queue));
  MUST(clReleaseMemObject(src));
  MUST(clReleaseMemObject(b));
  free(host);
}

/* ---- host access flags -------------------------------------------------- */

/* "CL_INVALID_OPERATION if buffer has been created with
 * CL_MEM_HOST_WRITE_ONLY or CL_MEM_HOST_NO_ACCESS and CL_MAP_READ is set in
 * map_flags or if buffer has been created with CL_MEM_HOST_READ_ONL[Y] or
 * CL_MEM_HOST_NO_ACCESS and CL_MAP_WRITE or CL_MAP_WRITE_INVALIDATE_REGION is
 * set in map_flags." */
static void test_host_access_flags(void) {
  cl_mem wo = make_buffer(env.context, CL_MEM_HOST_WRITE_ONLY, 64, NULL);
  cl_mem ro = make_buffer(env.context, CL_MEM_HOST_READ_ONLY, 64, NULL);
  cl_mem none = make_buffer(env.context, CL_MEM_HOST_NO_ACCESS, 64, NULL);
  expect_map_error("err-host-write-only-map-read", wo, CL_MAP_READ, 0, 4, CL_INVALID_OPERATION);
  expect_map_error("err-host-no-access-map-read", none, CL_MAP_READ, 0, 4, CL_INVALID_OPERATION);
  expect_map_error("err-host-read-only-map-write", ro, CL_MAP_WRITE, 0, 4, CL_INVALID_OPERATION);
  expect_map_error("err-host-read-only-map-invalidate", ro, CL_MAP_WRITE_INVALIDATE_REGION, 0, 4,
                   CL_INVALID_OPERATION);
  expect_map_error("err-host-no-access-map-write", none, CL_MAP_WRITE, 0, 4,
                   CL_INVALID_OPERATION);
  expect_map_error("err-host-no-access-map-invalidate", none, CL_MAP_WRITE_INVALIDATE_REGION, 0,
                   4, CL_INVALID_OPERATION);
  expect_map_error("err-host-write-only-map-read-write", wo, CL_MAP_READ | CL_MAP_WRITE, 0, 4,
                   CL_INVALID_OPERATION);
  /* What the flags allow works. */
  cl_int err;
  void *p = map(wo, CL_MAP_WRITE, 0, 4, &err);
  EXPECT_CODE("host-write-only-map-write-ok", err, CL_SUCCESS);
  if (p) unmap(wo, p);
  p = map(wo, CL_MAP_WRITE_INVALIDATE_REGION, 0, 4, &err);
  EXPECT_CODE("host-write-only-map-invalidate-ok", err, CL_SUCCESS);
  if (p) unmap(wo, p);
  p = map(ro, CL_MAP_READ, 0, 4, &err);
  EXPECT_CODE("host-read-only-map-read-ok", err, CL_SUCCESS);
  if (p) unmap(ro, p);
  /* Sub-buffers inherit the parent's host access (clCreateSubBuffer). */
  cl_mem sub = sub_buffer(ro, 0, 0, 64, &err);
  MUST(err);
  expect_map_error("err-sub-buffer-inherits-host-read-only", sub, CL_MAP_WRITE, 0, 4,
                   CL_INVALID_OPERATION);
  MUST(clFinish(env.queue));
  MUST(clReleaseMemObject(sub));
  MUST(clReleaseMemObject(wo));
  MUST(clReleaseMemObject(ro));
  MUST(clReleaseMemObject(none));
}

/* ---- overlapping maps, map counts ---------------------------------------- */

/* "Mapping (and unmapping) overlapped regions in a memory object and/or
 * associated memory objects (sub-buffer objects or 1D image buffer objects
 * that overlap this region) for writing is an error and will result in
 * CL_INVALID_OPERATION error returned by clEnqueueMapBuffer" — which the
 * error list files under "CL_OUT_OF_HOST_MEMORY if mapping would lead to
 * overlapping regions being mapped for writing" (the two descriptions are
 * swapped on this page; docs/opencl.md). */
static void test_overlapping_maps(void) {
  cl_mem b = setup();
  cl_int err;
  /* Positions relative to a = the device's base address alignment, so the
   * sub-buffer at a is valid everywhere (a = 64: the write map is bytes
   * 100..200, as in cl_map_buffer.rs). */
  size_t a = align_bytes();
  if (a + 300 > SIZE) { printf("SETUP FAILED alignment %zu too large\n", a); exit(2); }
  void *w = map_ok(b, CL_MAP_WRITE, a + 36, 100);
  expect_map_error("err-overlap-write-over-write", b, CL_MAP_WRITE, a + 86, 100,
                   CL_INVALID_OPERATION);
  expect_map_error("err-overlap-read-over-write", b, CL_MAP_READ, a + 135, 1,
                   CL_INVALID_OPERATION);
  /* "Multiple commands in command-queues can map a region or overlapping
   * regions of a memory object ... for reading" */
  void *r = map(b, CL_MAP_READ, a + 136, 100, &err);
  EXPECT_CODE("map-read-next-to-write", err, CL_SUCCESS);
  void *r2 = map(b, CL_MAP_READ, a + 186, 100, &err);
  EXPECT_CODE("map-overlapping-reads", err, CL_SUCCESS);
  expect_map_error("err-overlap-write-over-reads", b, CL_MAP_WRITE_INVALIDATE_REGION, a + 226, 4,
                   CL_INVALID_OPERATION);
  /* Through a sub-buffer of the same bytes: its bytes 0..64 overlap the
   * write map, 0..36 do not. */
  cl_mem sub = sub_buffer(b, 0, a, 128, &err);
  MUST(err);
  expect_map_error("err-overlap-sub-buffer", sub, CL_MAP_WRITE, 0, 64, CL_INVALID_OPERATION);
  void *ok = map(sub, CL_MAP_WRITE, 0, 36, &err);
  EXPECT_CODE("map-sub-buffer-disjoint-write", err, CL_SUCCESS);
  /* Through a 1D image buffer of the same storage: 10 pixels from byte
   * a + 56, inside the write map. */
  cl_image_format fmt = {CL_RGBA, CL_UNORM_INT8};
  cl_image_desc d;
  memset(&d, 0, sizeof d);
  d.image_type = CL_MEM_OBJECT_IMAGE1D_BUFFER;
  d.image_width = SIZE / 4;
  d.buffer = b;
  cl_mem img = clCreateImage(env.context, 0, &fmt, &d, NULL, &err);
  MUST(err);
  size_t origin[3] = {(a + 56) / 4, 0, 0}, region[3] = {10, 1, 1}, rp = 0, sp = 0;
  void *pi = clEnqueueMapImage(env.queue, img, CL_TRUE, CL_MAP_WRITE, origin, region, &rp, &sp,
                               0, NULL, NULL, &err);
  EXPECT_CODE("err-overlap-image-buffer", err, CL_INVALID_OPERATION);
  if (pi) MUST(clEnqueueUnmapMemObject(env.queue, img, pi, 0, NULL, NULL));
  /* "clEnqueueMapBuffer and clEnqueueMapImage increment the mapped count of
   * the memory object." — refused maps do not. */
  cl_uint live = 1 + (r != NULL) + (r2 != NULL);
  expect_map_count("overlap-map-count-buffer", b, live);
  expect_map_count("overlap-map-count-sub-buffer", sub, (ok != NULL));
  unmap(b, w);
  if (ok) unmap(sub, ok);
  /* Once the write maps are gone, the image's write map is allowed. */
  pi = clEnqueueMapImage(env.queue, img, CL_TRUE, CL_MAP_WRITE, origin, region, &rp, &sp, 0,
                         NULL, NULL, &err);
  EXPECT_CODE("map-image-buffer-after-unmap", err, CL_SUCCESS);
  if (pi) MUST(clEnqueueUnmapMemObject(env.queue, img, pi, 0, NULL, NULL));
  if (r) unmap(b, r);
  if (r2) unmap(b, r2);
  expect_map_count("overlap-map-count-zero-after-unmaps", b, 0);
  MUST(clReleaseMemObject(img));
  MUST(clReleaseMemObject(sub));
  MUST(clReleaseMemObject(b));
}

/* "clEnqueueMapBuffer and clEnqueueMapImage increment the mapped count of
 * the memory object. The initial mapped count value of a memory object is
 * zero. Multiple calls to clEnqueueMapBuffer ... on the same memory object
 * will increment this mapped count by appropriate number of calls.
 * clEnqueueUnmapMemObject decrements the mapped count of the memory
 * object." */
static void test_map_count(void) {
  cl_mem b = setup();
  expect_map_count("map-count-initially-zero", b, 0);
  void *ps[3];
  for (int i = 0; i < 3; i++) ps[i] = map_ok(b, CL_MAP_READ, (size_t)i * 8, 8);
  expect_map_count("map-count-three-maps", b, 3);
  unmap(b, ps[1]);
  expect_map_count("map-count-after-unmap", b, 2);
  /* clEnqueueUnmapMemObject: "CL_INVALID_VALUE if mapped_ptr is not a valid
   * pointer returned by clEnqueueMapBuffer or clEnqueueMapImage for
   * memobj." — a pointer already unmapped. */
  call_args a = {env.queue, b, 0, 0, 0, 0, NULL, ps[1]};
  EXPECT_CODE("err-unmap-twice", isolated(do_unmap, &a), CL_INVALID_VALUE);
  unmap(b, ps[0]);
  unmap(b, ps[2]);
  expect_map_count("map-count-zero-after-unmaps", b, 0);
  MUST(clReleaseMemObject(b));
}

/* ---- the mapped pointer with other commands ------------------------------ */

/* "The contents of the regions of a memory object mapped for reading can
 * also be read by kernels and other OpenCL commands (such as
 * clEnqueueCopyBuffer) executing on a device(s)." and "The mapped pointer
 * returned by clEnqueueMapBuffer ... can be used as ptr argument value to
 * clEnqueueReadBuffer, clEnqueueWriteBuffer, ... provided the rules described
 * above are adhered to." */
static void test_mapped_pointer_with_commands(void) {
  cl_mem a = setup();
  cl_mem other = make_buffer(env.context, 0, SIZE, NULL);
  unsigned char got[SIZE];
  /* Copy out of a buffer mapped for reading. */
  void *r = map_ok(a, CL_MAP_READ, 0, SIZE);
  MUST(clEnqueueCopyBuffer(env.queue, a, other, 0, 0, SIZE, 0, NULL, NULL));
  read_back(other, 0, got, SIZE);
  expect_bytes("copy-from-buffer-mapped-for-reading", got, data, SIZE);
  /* The read-mapped pointer as the source of clEnqueueWriteBuffer. */
  MUST(clEnqueueWriteBuffer(env.queue, other, CL_TRUE, 0, 512, (unsigned char *)r + 1024, 0,
                            NULL, NULL));
  read_back(other, 0, got, 512);
  expect_bytes("mapped-pointer-as-write-source", got, data + 1024, 512);
  unmap(a, r);
  /* A write-mapped pointer as the destination of clEnqueueReadBuffer. */
  unsigned char fresh[256];
  fill_pattern(fresh, sizeof fresh, 51);
  MUST(clEnqueueWriteBuffer(env.queue, other, CL_TRUE, 0, sizeof fresh, fresh, 0, NULL, NULL));
  void *w = map_ok(a, CL_MAP_WRITE_INVALIDATE_REGION, 300, sizeof fresh);
  MUST(clEnqueueReadBuffer(env.queue, other, CL_TRUE, 0, sizeof fresh, w, 0, NULL, NULL));
  unmap(a, w);
  unsigned char want[SIZE];
  memcpy(want, data, SIZE);
  memcpy(want + 300, fresh, sizeof fresh);
  read_back(a, 0, got, SIZE);
  expect_bytes("mapped-pointer-as-read-destination", got, want, SIZE);
  MUST(clReleaseMemObject(other));
  MUST(clReleaseMemObject(a));
}

/* ---- errors in the page's order ------------------------------------------ */

static void test_errors_in_page_order(void) {
  cl_mem b = setup();
  cl_int err;
  cl_context other = clCreateContext(NULL, 1, &env.device, NULL, NULL, &err);
  MUST(err);
  cl_command_queue other_q = clCreateCommandQueueWithProperties(other, env.device, NULL, &err);
  MUST(err);
  cl_mem ro = make_buffer(env.context, CL_MEM_HOST_READ_ONLY, 64, NULL);
  void *p;
  p = clEnqueueMapBuffer(NULL, NULL, CL_TRUE, 99, 0, 0, 0, NULL, NULL, &err);
  EXPECT_CODE("order-queue-before-mem-object", err, CL_INVALID_COMMAND_QUEUE);
  p = clEnqueueMapBuffer(other_q, b, CL_TRUE, 99, 0, 0, 0, NULL, NULL, &err);
  EXPECT_CODE("order-context-before-value", err, CL_INVALID_CONTEXT);
  if (p) MUST(clEnqueueUnmapMemObject(other_q, b, p, 0, NULL, NULL));
  p = clEnqueueMapBuffer(env.queue, NULL, CL_TRUE, 99, 0, 0, 0, NULL, NULL, &err);
  EXPECT_CODE("order-mem-object-before-value", err, CL_INVALID_MEM_OBJECT);
  p = clEnqueueMapBuffer(env.queue, b, CL_TRUE, CL_MAP_READ, 0, 0, 1, NULL, NULL, &err);
  EXPECT_CODE("order-value-before-wait-list", err, CL_INVALID_VALUE);
  if (p) unmap(b, p);
  p = clEnqueueMapBuffer(env.queue, ro, CL_TRUE, CL_MAP_WRITE, 0, 4, 1, NULL, NULL, &err);
  EXPECT_CODE("order-wait-list-before-host-access", err, CL_INVALID_EVENT_WAIT_LIST);
  if (p) unmap(ro, p);
  MUST(clFinish(env.queue));
  MUST(clFinish(other_q));
  MUST(clReleaseMemObject(ro));
  MUST(clReleaseCommandQueue(other_q));
  MUST(clReleaseContext(other));
  MUST(clReleaseMemObject(b));
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  env = open_env();
  fill_pattern(data, SIZE, SEED);
  test_map_read();
  test_map_write();
  test_map_write_invalidate();
  test_map_flags();
  test_region();
  test_errcode_ret();
  test_invalid_command_queue();
  test_invalid_context();
  test_invalid_mem_object();
  test_invalid_event_wait_list();
  test_non_blocking_map();
  test_failed_wait_list_event();
  test_sub_buffers();
  test_host_memory_maps();
  test_use_host_ptr();
  test_host_access_flags();
  test_overlapping_maps();
  test_map_count();
  test_mapped_pointer_with_commands();
  test_errors_in_page_order();
  close_env(&env);
  return summary();
}
