/**
 * Dashboard pages of 100 a server under test reads before its CPU or its wall time is measured.
 *
 * Connections, caches and the compiled operation are ready after a few pages; V8's optimizing
 * compiler is not. It tiers a function up once that function has run enough bytecode, so what
 * runs once per request or per upstream call (Apollo's pipeline, the transport, the loaders) is
 * still being compiled a hundred pages in, on V8's helper threads, and runs unoptimized until
 * then. Traced with `--trace-opt` (BENCHMARKS.md section 1b), TurboFan spent about 13 ms per
 * page compiling over the first 100 pages, 2.5-3 ms over pages 100-300 and 1.7-1.9 ms from page
 * 300 on, where it stays: what is left is mostly graphql-jit's per-field callbacks, compiled again
 * after each full garbage collection. A deployed API has served far more than this; the figures
 * are those of a server in that state.
 */
export const JIT_WARMUP_PAGES = 300;
