/** Types of bench/childSide.mjs. */
export type Handlers = Record<string, (args: any) => unknown>;

export function serveCalls(handlers: Handlers, onExit?: () => Promise<void>): void;

export interface BenchApiArgs {
  emulatorUrl: string;
  orgId: string;
  clientId: string;
  maxObjectsInFlight?: number;
  env?: Record<string, string>;
}

export function benchApiEnv(args: BenchApiArgs): Record<string, string>;

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Highest RSS sampled since `sample` started sampling. */
  peakRss: number;
  /** `process.memoryUsage()` when that peak was sampled. */
  atPeak: NodeJS.MemoryUsage | undefined;
  /** User and system CPU time of the process so far. */
  cpuMicros: number;
}

export const memoryHandlers: {
  memory(args: { gc?: boolean }): MemorySample;
  sample(args: { intervalMs: number }): { cpuMicros: number };
};
