import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets old space grow past what survived its last mark-compact before it marks
 * again, as a percentage (`HEAP_GROWING_PERCENT`, V8's `--heap-growing-percent`): the default,
 * 75, marks once old space is 1.75 times what survived. 0 leaves V8's own factor, which for a
 * heap limit of a few GB lets old space reach four times what survived.
 *
 * What an operation reads and answers lives only as long as the operation, but under
 * concurrent operations much of it outlives two scavenges and dies in old space, where only a
 * mark-compact frees it: with V8's own factor, the process's memory under load is mostly that
 * garbage (BENCHMARKS.md, section 4). Marking sooner costs more frequent mark-compacts of the
 * same live heap.
 *
 * Set by the process's entry point (src/main.ts) before it serves, never by `startServer`: a
 * V8 flag is the whole process's. A `--heap-growing-percent` node was started with is kept
 * unless `HEAP_GROWING_PERCENT` is set (`heapGrowthFlagGiven`).
 */
export function applyHeapGrowth(percent: number): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/**
 * Sets V8's heap growth from the configuration as the entry point does: `percent` (loaded from
 * `env`), unless node was started with its own `--heap-growing-percent` and `env` does not set
 * `HEAP_GROWING_PERCENT`, in which case node's is kept.
 */
export function configureHeapGrowth(percent: number, env: Readonly<Record<string, string | undefined>>): void {
  if (env['HEAP_GROWING_PERCENT'] !== undefined || !heapGrowthFlagGiven(process.execArgv, process.env['NODE_OPTIONS']))
    applyHeapGrowth(percent);
}

/**
 * Whether node was started with its own `--heap-growing-percent` (or `--heap_growing_percent`),
 * in its arguments or in `NODE_OPTIONS`: the entry point then keeps it unless
 * `HEAP_GROWING_PERCENT` is set.
 */
export function heapGrowthFlagGiven(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const args = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  return args.some((arg) => /^--heap[-_]growing[-_]percent(=|$)/.test(arg));
}
