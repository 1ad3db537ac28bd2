/**
 * Dashboard pages of 100 a server under test reads before its CPU or its wall time is measured.
 *
 * Connections, caches and the compiled operation are ready after a few pages; V8's optimizing
 * compiler is not. It tiers a function up once that function has run enough bytecode, so what
 * runs once per request or per upstream call (Apollo's pipeline, the transport, the loaders) is
 * still being compiled a hundred pages in, on V8's helper threads, and runs unoptimized until
 * then. Traced with `--trace-opt` (BENCHMARKS.md section 1b), TurboFan spent about 6 ms per page
 * compiling over pages 1-200 and about 2 ms per page from page 300 on, where it stays: what is
 * left is code compiled again after a full garbage collection. A deployed API has served far
 * more than this; the figures are those of a server in that state.
 */
export const JIT_WARMUP_PAGES = 300;
