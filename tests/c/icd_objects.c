/* The rest of the ICD's surface through the loader: platform and device
 * queries in the clGet*Info convention, context and queue properties,
 * reference counts, destructor callbacks, event profiling, and what a
 * device without a compiler, kernels, SVM or pipes answers. Expectations
 * that depend on the device (a compiler, SVM, ...) follow its own queries,
 * so a second implementation is held to the same sentences. Released
 * handles are left to the per-page programs, which call them in a child
 * process (they crash some implementations). */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include <CL/cl_ext.h>
#include <time.h>

/* Destructor callbacks run when the last user lets go, which may be a
 * queue's worker finishing: give them up to a second. */
static void wait_for(const int *flag) {
  struct timespec ms = {0, 1000000};
  for (int i = 0; i < 1000 && *flag == 0; i++) nanosleep(&ms, NULL);
}

static int destroyed_mem, destroyed_ctx;
static void CL_CALLBACK on_mem_destroyed(cl_mem m, void *user) { (void)m; *(int *)user += 1; }
static void CL_CALLBACK on_ctx_destroyed(cl_context c, void *user) { (void)c; *(int *)user += 1; }

static cl_bool device_bool(cl_device_id d, cl_device_info p) {
  cl_bool b = CL_FALSE;
  MUST(clGetDeviceInfo(d, p, sizeof b, &b, NULL));
  return b;
}

int main(void) {
  cl_env env = open_env();
  cl_int err;

  /* clGetPlatformInfo: "CL_INVALID_VALUE if ... param_value_size is < size
   * of return type ... and param_value is not NULL." */
  size_t need = 0;
  EXPECT_CODE("platform-name-size-query", clGetPlatformInfo(env.platform, CL_PLATFORM_NAME, 0, NULL, &need), CL_SUCCESS);
  EXPECT_TRUE("platform-name-size-nonzero", need > 1);
  char small[1];
  EXPECT_CODE("platform-name-too-small", clGetPlatformInfo(env.platform, CL_PLATFORM_NAME, sizeof small, small, NULL), CL_INVALID_VALUE);
  EXPECT_CODE("platform-bad-param", clGetPlatformInfo(env.platform, 0x7fff, 0, NULL, &need), CL_INVALID_VALUE);
  char suffix[64] = {0};
  EXPECT_CODE("platform-icd-suffix", clGetPlatformInfo(env.platform, CL_PLATFORM_ICD_SUFFIX_KHR, sizeof suffix, suffix, NULL), CL_SUCCESS);

  /* clGetDeviceInfo */
  cl_uint align = 0;
  EXPECT_CODE("device-base-addr-align", clGetDeviceInfo(env.device, CL_DEVICE_MEM_BASE_ADDR_ALIGN, sizeof align, &align, NULL), CL_SUCCESS);
  EXPECT_TRUE("device-base-addr-align-min", align >= 8 * 16 /* long16: the minimum */);
  EXPECT_TRUE("device-image-support", device_bool(env.device, CL_DEVICE_IMAGE_SUPPORT));
  cl_device_type type = 0;
  MUST(clGetDeviceInfo(env.device, CL_DEVICE_TYPE, sizeof type, &type, NULL));
  cl_platform_id plat = NULL;
  EXPECT_CODE("device-platform", clGetDeviceInfo(env.device, CL_DEVICE_PLATFORM, sizeof plat, &plat, NULL), CL_SUCCESS);
  EXPECT_TRUE("device-platform-is-platform", plat == env.platform);
  EXPECT_CODE("device-bad-param", clGetDeviceInfo(env.device, 0x7fff, 0, NULL, &need), CL_INVALID_VALUE);
  EXPECT_CODE("device-ids-bad-type", clGetDeviceIDs(env.platform, 0, 0, NULL, &(cl_uint){0}), CL_INVALID_DEVICE_TYPE);
  EXPECT_CODE("device-ids-null-outputs", clGetDeviceIDs(env.platform, CL_DEVICE_TYPE_ALL, 0, NULL, NULL), CL_INVALID_VALUE);

  /* clCreateContext: properties, returned as given. */
  cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)env.platform, 0};
  cl_context ctx = clCreateContext(props, 1, &env.device, NULL, NULL, &err);
  EXPECT_CODE("context-with-platform", err, CL_SUCCESS);
  cl_context_properties got[3] = {0};
  size_t got_size = 0;
  EXPECT_CODE("context-properties-query", clGetContextInfo(ctx, CL_CONTEXT_PROPERTIES, sizeof got, got, &got_size), CL_SUCCESS);
  EXPECT_TRUE("context-properties-as-given", got_size == sizeof props && memcmp(got, props, sizeof props) == 0);
  cl_context_properties bad_plat[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)0x1234, 0};
  clCreateContext(bad_plat, 1, &env.device, NULL, NULL, &err);
  EXPECT_CODE("context-bad-platform", err, CL_INVALID_PLATFORM);
  cl_context_properties bad_prop[] = {0x7fff, 1, 0};
  clCreateContext(bad_prop, 1, &env.device, NULL, NULL, &err);
  EXPECT_CODE("context-unknown-property", err, CL_INVALID_PROPERTY);
  clCreateContext(NULL, 0, &env.device, NULL, NULL, &err);
  EXPECT_CODE("context-no-devices", err, CL_INVALID_VALUE);
  clCreateContext(NULL, 1, &env.device, NULL, &err /* user_data without pfn_notify */, &err);
  EXPECT_CODE("context-user-data-without-callback", err, CL_INVALID_VALUE);

  /* Reference counts and the context destructor callback (OpenCL 3.0):
   * called once the context is gone, after its objects. */
  cl_uint refs = 0;
  MUST(clRetainContext(ctx));
  MUST(clGetContextInfo(ctx, CL_CONTEXT_REFERENCE_COUNT, sizeof refs, &refs, NULL));
  EXPECT_TRUE("context-retain-counts", refs == 2);
  MUST(clReleaseContext(ctx));
  EXPECT_CODE("context-destructor-callback", clSetContextDestructorCallback(ctx, on_ctx_destroyed, &destroyed_ctx), CL_SUCCESS);
  EXPECT_CODE("context-destructor-null-callback", clSetContextDestructorCallback(ctx, NULL, NULL), CL_INVALID_VALUE);

  /* Memory object destructor callbacks: after the last release. */
  cl_mem buf = clCreateBuffer(ctx, CL_MEM_READ_WRITE, 4096, NULL, &err);
  MUST(err);
  EXPECT_CODE("mem-destructor-callback", clSetMemObjectDestructorCallback(buf, on_mem_destroyed, &destroyed_mem), CL_SUCCESS);
  EXPECT_CODE("mem-destructor-null-callback", clSetMemObjectDestructorCallback(buf, NULL, NULL), CL_INVALID_VALUE);
  MUST(clReleaseMemObject(buf));
  wait_for(&destroyed_mem);
  EXPECT_TRUE("mem-destructor-called-once", destroyed_mem == 1);

  /* clCreateBufferWithProperties (3.0): the empty list is returned as given. */
  cl_mem_properties no_props[] = {0};
  cl_mem pbuf = clCreateBufferWithProperties(ctx, no_props, 0, 256, NULL, &err);
  EXPECT_CODE("buffer-with-empty-properties", err, CL_SUCCESS);
  size_t psize = 99;
  EXPECT_CODE("buffer-properties-query", clGetMemObjectInfo(pbuf, CL_MEM_PROPERTIES, 0, NULL, &psize), CL_SUCCESS);
  EXPECT_TRUE("buffer-properties-as-given", psize == sizeof no_props);
  MUST(clReleaseMemObject(pbuf));

  /* Queues with properties; profiling times in order. */
  cl_queue_properties qprops[] = {CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0};
  cl_command_queue pq = clCreateCommandQueueWithProperties(ctx, env.device, qprops, &err);
  EXPECT_CODE("queue-profiling", err, CL_SUCCESS);
  cl_queue_properties qbad[] = {0x7fff, 0, 0};
  clCreateCommandQueueWithProperties(ctx, env.device, qbad, &err);
  EXPECT_CODE("queue-unknown-property", err, CL_INVALID_VALUE);
  cl_mem b2 = clCreateBuffer(ctx, 0, 4096, NULL, &err);
  MUST(err);
  unsigned char data[4096];
  fill_pattern(data, sizeof data, 7);
  cl_event ev;
  MUST(clEnqueueWriteBuffer(pq, b2, CL_TRUE, 0, sizeof data, data, 0, NULL, &ev));
  cl_ulong t[4] = {0};
  cl_profiling_info which[4] = {CL_PROFILING_COMMAND_QUEUED, CL_PROFILING_COMMAND_SUBMIT,
                                CL_PROFILING_COMMAND_START, CL_PROFILING_COMMAND_END};
  int prof_ok = 1;
  for (int i = 0; i < 4; i++)
    prof_ok &= clGetEventProfilingInfo(ev, which[i], sizeof t[i], &t[i], NULL) == CL_SUCCESS;
  EXPECT_TRUE("profiling-available", prof_ok);
  EXPECT_TRUE("profiling-in-order", t[0] <= t[1] && t[1] <= t[2] && t[2] <= t[3] && t[3] > 0);
  cl_event uev = clCreateUserEvent(ctx, &err);
  MUST(err);
  EXPECT_CODE("profiling-user-event", clGetEventProfilingInfo(uev, CL_PROFILING_COMMAND_END, sizeof t[0], &t[0], NULL), CL_PROFILING_INFO_NOT_AVAILABLE);
  MUST(clSetUserEventStatus(uev, CL_COMPLETE));
  cl_event ev2;
  MUST(clEnqueueWriteBuffer(pq, b2, CL_TRUE, 0, 16, data, 0, NULL, &ev2));
  unsigned char back[4096];
  MUST(clEnqueueReadBuffer(pq, b2, CL_TRUE, 0, sizeof back, back, 0, NULL, NULL));
  expect_bytes("profiling-queue-moves-data", back, data, sizeof back);
  MUST(clReleaseEvent(ev));
  MUST(clReleaseEvent(ev2));
  MUST(clReleaseEvent(uev));
  MUST(clReleaseMemObject(b2));
  MUST(clReleaseCommandQueue(pq));

  /* clEnqueueMigrateMemObjects: a command like any other. */
  cl_mem b3 = clCreateBuffer(ctx, 0, 256, NULL, &err);
  MUST(err);
  cl_command_queue q = clCreateCommandQueueWithProperties(ctx, env.device, NULL, &err);
  MUST(err);
  cl_event mev;
  EXPECT_CODE("migrate", clEnqueueMigrateMemObjects(q, 1, &b3, CL_MIGRATE_MEM_OBJECT_HOST, 0, NULL, &mev), CL_SUCCESS);
  cl_command_type ct = 0;
  MUST(clWaitForEvents(1, &mev));
  MUST(clGetEventInfo(mev, CL_EVENT_COMMAND_TYPE, sizeof ct, &ct, NULL));
  EXPECT_TRUE("migrate-command-type", ct == CL_COMMAND_MIGRATE_MEM_OBJECTS);
  EXPECT_CODE("migrate-no-objects", clEnqueueMigrateMemObjects(q, 0, NULL, 0, 0, NULL, NULL), CL_INVALID_VALUE);
  EXPECT_CODE("migrate-bad-flags", clEnqueueMigrateMemObjects(q, 1, &b3, 1 << 7, 0, NULL, NULL), CL_INVALID_VALUE);
  MUST(clReleaseEvent(mev));

  /* Programs: with no compiler, building fails with CL_COMPILER_NOT_AVAILABLE
   * ("if program is created with clCreateProgramWithSource and a compiler is
   * not available"); with one, the source builds. */
  const char *src = "kernel void k(global int *p) { p[0] = 1; }";
  cl_program prog = clCreateProgramWithSource(ctx, 1, &src, NULL, &err);
  EXPECT_CODE("program-from-source", err, CL_SUCCESS);
  clCreateProgramWithSource(ctx, 0, &src, NULL, &err);
  EXPECT_CODE("program-source-count-0", err, CL_INVALID_VALUE);
  char back_src[128] = {0};
  EXPECT_CODE("program-source-query", clGetProgramInfo(prog, CL_PROGRAM_SOURCE, sizeof back_src, back_src, NULL), CL_SUCCESS);
  EXPECT_TRUE("program-source-as-given", strcmp(back_src, src) == 0);
  int compiler = device_bool(env.device, CL_DEVICE_COMPILER_AVAILABLE);
  EXPECT_CODE("program-build", clBuildProgram(prog, 1, &env.device, NULL, NULL, NULL),
              compiler ? CL_SUCCESS : CL_COMPILER_NOT_AVAILABLE);
  cl_kernel k = clCreateKernel(prog, "k", &err);
  EXPECT_CODE("kernel-create", err, compiler ? CL_SUCCESS : CL_INVALID_PROGRAM_EXECUTABLE);
  if (k) MUST(clReleaseKernel(k));
  MUST(clReleaseProgram(prog));

  /* Samplers exist wherever images do. */
  cl_sampler_properties sp[] = {CL_SAMPLER_NORMALIZED_COORDS, CL_TRUE, CL_SAMPLER_ADDRESSING_MODE,
                                CL_ADDRESS_CLAMP, CL_SAMPLER_FILTER_MODE, CL_FILTER_NEAREST, 0};
  cl_sampler s = clCreateSamplerWithProperties(ctx, sp, &err);
  EXPECT_CODE("sampler-create", err, CL_SUCCESS);
  cl_addressing_mode am = 0;
  EXPECT_CODE("sampler-query", clGetSamplerInfo(s, CL_SAMPLER_ADDRESSING_MODE, sizeof am, &am, NULL), CL_SUCCESS);
  EXPECT_TRUE("sampler-addressing", am == CL_ADDRESS_CLAMP);
  cl_sampler_properties sbad[] = {CL_SAMPLER_ADDRESSING_MODE, 0x7fff, 0};
  clCreateSamplerWithProperties(ctx, sbad, &err);
  EXPECT_CODE("sampler-bad-addressing", err, CL_INVALID_VALUE);
  MUST(clReleaseSampler(s));

  /* SVM and pipes, only where the device has them. */
  cl_device_svm_capabilities svm = 0;
  MUST(clGetDeviceInfo(env.device, CL_DEVICE_SVM_CAPABILITIES, sizeof svm, &svm, NULL));
  if (svm == 0) {
    EXPECT_TRUE("svm-alloc-null", clSVMAlloc(ctx, CL_MEM_READ_WRITE, 256, 0) == NULL);
    EXPECT_CODE("svm-memcpy", clEnqueueSVMMemcpy(q, CL_TRUE, back, data, 16, 0, NULL, NULL), CL_INVALID_OPERATION);
  }
  if (!device_bool(env.device, CL_DEVICE_PIPE_SUPPORT)) {
    clCreatePipe(ctx, 0, 4, 16, NULL, &err);
    EXPECT_CODE("pipe-create", err, CL_INVALID_OPERATION);
  }
  cl_uint dims = 0;
  MUST(clGetDeviceInfo(env.device, CL_DEVICE_PARTITION_MAX_SUB_DEVICES, sizeof dims, &dims, NULL));
  if (dims == 0) {
    cl_device_partition_property part[] = {CL_DEVICE_PARTITION_EQUALLY, 1, 0};
    EXPECT_CODE("sub-devices", clCreateSubDevices(env.device, part, 0, NULL, &dims), CL_INVALID_VALUE);
  }

  MUST(clReleaseMemObject(b3));
  MUST(clFinish(q));
  MUST(clReleaseCommandQueue(q));
  MUST(clReleaseContext(ctx));
  wait_for(&destroyed_ctx);
  EXPECT_TRUE("context-destructor-called-once", destroyed_ctx == 1);
  close_env(&env);
  return summary();
}
