/* Shared by the C test programs: OpenCL through the ICD loader, expectations
 * taken from the Khronos reference pages. Each check prints one line,
 *   PASS <name>    or    FAIL <name>: <what happened>
 * so tests/c/run.sh can compare the failures of a second implementation
 * (PoCL) with the deviations recorded in tests/c/pocl-deviations.txt. */
#ifndef TILEDMA_CHECK_H
#define TILEDMA_CHECK_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* fork, pipe, alarm */
#endif
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int checks_run, checks_failed;

static void check(const char *name, int ok, const char *fmt, long long got, long long want) {
  checks_run++;
  if (ok) {
    printf("PASS %s\n", name);
  } else {
    checks_failed++;
    printf("FAIL %s: ", name);
    printf(fmt, got, want);
    printf("\n");
  }
  fflush(stdout);
}

/* The call's return (or errcode_ret) must be exactly `want`. */
#define EXPECT_CODE(name, got, want) \
  do { cl_int g_ = (got), w_ = (want); \
       check((name), g_ == w_, "returned %lld, the spec says %lld", g_, w_); } while (0)

/* A condition that must hold (data compared, a pointer set, ...). */
#define EXPECT_TRUE(name, cond) \
  check((name), (cond) ? 1 : 0, "%lld (condition false) %lld", 0, 0)

/* Equal byte ranges; reports the first differing offset. */
static void expect_bytes(const char *name, const void *got, const void *want, size_t n) {
  const unsigned char *g = got, *w = want;
  size_t i = 0;
  while (i < n && g[i] == w[i]) i++;
  check(name, i == n, "first difference at byte %lld of %lld", (long long)i, (long long)n);
}

/* Set-up failures are not expectations: stop. */
#define MUST(expr) \
  do { cl_int e_ = (expr); \
       if (e_ != CL_SUCCESS) { printf("SETUP FAILED %s: %d (line %d)\n", #expr, e_, __LINE__); exit(2); } } while (0)

/* The first platform's first device (OCL_ICD_VENDORS picks the implementation). */
typedef struct {
  cl_platform_id platform;
  cl_device_id device;
  cl_context context;
  cl_command_queue queue;
} cl_env;

static cl_env open_env(void) {
  cl_env env;
  cl_int err;
  MUST(clGetPlatformIDs(1, &env.platform, NULL));
  MUST(clGetDeviceIDs(env.platform, CL_DEVICE_TYPE_ALL, 1, &env.device, NULL));
  char name[256] = {0};
  MUST(clGetPlatformInfo(env.platform, CL_PLATFORM_NAME, sizeof name, name, NULL));
  printf("platform: %s\n", name);
  env.context = clCreateContext(NULL, 1, &env.device, NULL, NULL, &err);
  MUST(err);
  env.queue = clCreateCommandQueueWithProperties(env.context, env.device, NULL, &err);
  MUST(err);
  return env;
}

static void close_env(cl_env *env) {
  MUST(clFinish(env->queue));
  MUST(clReleaseCommandQueue(env->queue));
  MUST(clReleaseContext(env->context));
}

/* Deterministic bytes (xorshift), so failures reproduce. */
static void fill_pattern(void *p, size_t n, uint32_t seed) {
  unsigned char *b = p;
  uint32_t x = seed ? seed : 1;
  for (size_t i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    b[i] = (unsigned char)x;
  }
}

/* Calls that may crash or hang an implementation run in a child process
 * with this many seconds to answer. */
#define CHILD_SECONDS 10

/* Runs body(arg, out) in a forked child (stdout silenced, CHILD_SECONDS to
 * answer) and copies the `size` bytes it produced to `out`. Returns 1 when
 * it answered; else 0, with the waitpid status in *status (the
 * implementation crashed or hung). Fork only with no command in flight. */
static inline int run_in_child(void (*body)(const void *arg, void *out), const void *arg, void *out,
                               size_t size, int *status) {
  int fd[2];
  if (pipe(fd) != 0) { printf("SETUP FAILED pipe\n"); exit(2); }
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) { printf("SETUP FAILED fork\n"); exit(2); }
  if (pid == 0) {
    close(fd[0]);
    if (!freopen("/dev/null", "w", stdout)) _exit(3);
    alarm(CHILD_SECONDS); /* a call that never returns ends the child */
    body(arg, out);
    _exit(write(fd[1], out, size) == (ssize_t)size ? 0 : 3);
  }
  close(fd[1]);
  ssize_t n = read(fd[0], out, size);
  close(fd[0]);
  *status = 0;
  waitpid(pid, status, 0);
  return n == (ssize_t)size;
}

/* A child that sent no result: it hung (its alarm fired), exited or died.
 * `status` is from waitpid. */
#define REPORT_CHILD_WITHOUT_RESULT(name, status, want) \
  do { \
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) \
      check((name), 0, "did not return within %lld s, the spec says %lld", CHILD_SECONDS, (want)); \
    else if (WIFEXITED(status)) \
      check((name), 0, "returned nothing: the process exited with status %lld, the spec says %lld", \
            WEXITSTATUS(status), (want)); \
    else \
      check((name), 0, "returned nothing: the process died of signal %lld, the spec says %lld", \
            WIFSIGNALED(status) ? WTERMSIG(status) : -1, (want)); \
  } while (0)

static int summary(void) {
  printf("%d checks, %d failed\n", checks_run, checks_failed);
  return checks_failed ? 1 : 0;
}

#endif
