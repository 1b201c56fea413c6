/*
 * fma_peak: the peak rate of independent single-precision FMAs on this CPU, at 256 and 512 bits, in GFLOP/s.
 *
 * Each thread keeps independent accumulators (12 ymm or 16 zmm: more than the FMA latency times the FMA ports
 * of current x86 cores, 4 cycles x 2 ports = 8 in flight), and runs `acc[i] = acc[i] * x + y`
 * over them for a fixed number of iterations. One FMA is 2 flops per lane: 16 lanes at 512 bits, 8 at 256.
 * The inputs keep the accumulators finite (x slightly below 1), so no denormal or overflow slows a lane.
 *
 * Build: gcc -O2 -pthread -o fma_peak fma_peak.c
 *        (each loop is compiled for its instruction set by a target attribute and run only where the CPU has it)
 * Usage: fma_peak [--bits 256|512|both] [--threads N] [--repeats R] [--seconds S]
 * Prints one JSON line per (bits, threads): every repeat's GFLOP/s, the median and the maximum. The maximum
 * is the peak (interference from other processes only lowers a repeat); quote the median beside it.
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 256-bit: 12 accumulators + 2 constants fit the 16 ymm registers AVX2 code may name; 512-bit: 16 of 32 zmm. */
#define ACC256 12
#define ACC512 16

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static volatile float sink;

__attribute__((target("avx2,fma"), noinline)) static void loop256(long iterations)
{
    __m256 acc[ACC256];
    for (int i = 0; i < ACC256; i++) acc[i] = _mm256_set1_ps(1.0f + i * 1e-3f);
    const __m256 x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-6f);
    for (long n = 0; n < iterations; n++)
    {
#pragma GCC unroll 16
        for (int i = 0; i < ACC256; i++) acc[i] = _mm256_fmadd_ps(acc[i], x, y);
    }
    __m256 s = acc[0];
    for (int i = 1; i < ACC256; i++) s = _mm256_add_ps(s, acc[i]);
    sink = _mm256_cvtss_f32(s);
}

__attribute__((target("avx512f"), noinline)) static void loop512(long iterations)
{
    __m512 acc[ACC512];
    for (int i = 0; i < ACC512; i++) acc[i] = _mm512_set1_ps(1.0f + i * 1e-3f);
    const __m512 x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-6f);
    for (long n = 0; n < iterations; n++)
    {
#pragma GCC unroll 16
        for (int i = 0; i < ACC512; i++) acc[i] = _mm512_fmadd_ps(acc[i], x, y);
    }
    __m512 s = acc[0];
    for (int i = 1; i < ACC512; i++) s = _mm512_add_ps(s, acc[i]);
    sink = _mm512_reduce_add_ps(s);
}

struct job
{
    int bits;
    long iterations;
    pthread_barrier_t *barrier;
};

static void run(int bits, long iterations)
{
    if (bits == 512) loop512(iterations);
    else loop256(iterations);
}

static void *worker(void *p)
{
    struct job *j = p;
    pthread_barrier_wait(j->barrier);
    run(j->bits, j->iterations);
    pthread_barrier_wait(j->barrier);
    return NULL;
}

/* Seconds for `iterations` on each of `threads` threads started together. */
static double timed(int bits, int threads, long iterations)
{
    if (threads == 1)
    {
        double t0 = now();
        run(bits, iterations);
        return now() - t0;
    }
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, threads + 1);
    pthread_t *ids = calloc(threads, sizeof *ids);
    struct job j = {bits, iterations, &barrier};
    for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, worker, &j);
    pthread_barrier_wait(&barrier);
    double t0 = now();
    pthread_barrier_wait(&barrier);
    double s = now() - t0;
    for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
    pthread_barrier_destroy(&barrier);
    free(ids);
    return s;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void measure(int bits, int threads, int repeats, double seconds)
{
    int accumulators = bits == 512 ? ACC512 : ACC256;
    double flopsPerIteration = 2.0 * accumulators * (bits / 32);
    long iterations = 1000;
    while (timed(bits, 1, iterations) < 0.02) iterations *= 2; /* calibrate on one thread, warming the unit up */
    iterations = (long)(iterations * (seconds / timed(bits, 1, iterations)));
    if (iterations < 1000) iterations = 1000;
    double *g = calloc(repeats, sizeof *g);
    for (int r = 0; r < repeats; r++) g[r] = flopsPerIteration * iterations * threads / timed(bits, threads, iterations) / 1e9;
    printf("{\"what\": \"fma_peak\", \"bits\": %d, \"threads\": %d, \"accumulators\": %d, \"gflops\": [", bits, threads, accumulators);
    for (int r = 0; r < repeats; r++) printf("%s%.2f", r ? ", " : "", g[r]);
    qsort(g, repeats, sizeof *g, compare);
    double median = repeats % 2 ? g[repeats / 2] : (g[repeats / 2 - 1] + g[repeats / 2]) / 2;
    printf("], \"median_gflops\": %.2f, \"max_gflops\": %.2f, \"seconds_per_repeat\": %.3f}\n", median, g[repeats - 1], seconds);
    fflush(stdout);
    free(g);
}

int main(int argc, char **argv)
{
    const char *bits = "both";
    int threads = 1, repeats = 7;
    double seconds = 0.25;
    for (int i = 1; i < argc; i++)
    {
        if (!strcmp(argv[i], "--bits") && i + 1 < argc) bits = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--repeats") && i + 1 < argc) repeats = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else
        {
            fprintf(stderr, "usage: fma_peak [--bits 256|512|both] [--threads N] [--repeats R] [--seconds S]\n");
            return 2;
        }
    }
    if (threads < 1 || repeats < 1 || !(seconds > 0))
    {
        fprintf(stderr, "fma_peak: --threads and --repeats must be at least 1 and --seconds positive\n");
        return 2;
    }
    __builtin_cpu_init();
    int want256 = strcmp(bits, "512") != 0, want512 = strcmp(bits, "256") != 0;
    if (want256)
    {
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) measure(256, threads, repeats, seconds);
        else printf("{\"what\": \"fma_peak\", \"bits\": 256, \"threads\": %d, \"supported\": false}\n", threads);
    }
    if (want512)
    {
        if (__builtin_cpu_supports("avx512f")) measure(512, threads, repeats, seconds);
        else printf("{\"what\": \"fma_peak\", \"bits\": 512, \"threads\": %d, \"supported\": false}\n", threads);
    }
    return 0;
}
