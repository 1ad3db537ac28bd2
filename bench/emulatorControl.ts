/** The emulator's control routes, as the benchmark uses them (pinned in src/emulator/control.ts). */

export interface LogEntry {
  method: string;
  path: string;
  status: number;
  org: string | null;
  startedAt: number;
  durationMs: number;
}

export class EmulatorControl {
  constructor(readonly url: string) {}

  async setLatency(latencyMs: number): Promise<void> {
    const res = await fetch(`${this.url}/__emulator/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs }),
    });
    if (!res.ok) throw new Error(`emulator config: ${res.status}`);
    await res.arrayBuffer();
  }

  async clearRequests(): Promise<void> {
    const res = await fetch(`${this.url}/__emulator/requests`, { method: 'DELETE' });
    await res.arrayBuffer();
  }

  /** Platform requests since the last clear; IMS token requests are not upstream calls of a read. */
  async requests(): Promise<LogEntry[]> {
    const res = await fetch(`${this.url}/__emulator/requests`);
    const log = (await res.json()) as LogEntry[];
    return log.filter((e) => !e.path.startsWith('/ims'));
  }

  /** Runs `fn` between a clear and a read of the log; answers its result and the requests it caused. */
  async counting<T>(fn: () => Promise<T>): Promise<{ result: T; requests: LogEntry[] }> {
    await this.clearRequests();
    const result = await fn();
    return { result, requests: await this.requests() };
  }
}

/** Requests per service, e.g. `{ flowService: 5, catalog: 1, schemaRegistry: 10 }`. */
export function byService(log: readonly LogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of log) {
    const service = e.path.startsWith('/data/foundation/flowservice')
      ? 'flowService'
      : e.path.startsWith('/data/foundation/schemaregistry')
        ? 'schemaRegistry'
        : e.path.startsWith('/data/foundation/conversion')
          ? 'dataPrep'
          : e.path.startsWith('/data/foundation/catalog')
            ? 'catalog'
            : 'other';
    out[service] = (out[service] ?? 0) + 1;
  }
  return out;
}

/**
 * Dependent round trips in a log: requests grouped into waves, where a request starts a new
 * wave when it began after every request of the current wave had finished. At an added
 * latency L, wall time >= waves x L. With the latency in front of the emulator (a delay
 * proxy) the requests of one wave are handled one after another as they arrive, so a new
 * wave then also needs a pause of `minGapMs` (less than the round trip that separates
 * dependent requests) after the current one.
 */
export function waves(log: readonly LogEntry[], minGapMs = 0): number {
  return waveStarts(log, minGapMs).length;
}

/** When each wave of `waves()` began, in ms after the first request began. */
export function waveStarts(log: readonly LogEntry[], minGapMs = 0): number[] {
  const sorted = [...log].sort((a, b) => a.startedAt - b.startedAt);
  const starts: number[] = [];
  let waveEnd = -Infinity;
  for (const e of sorted) {
    if (e.startedAt >= waveEnd + minGapMs) {
      starts.push(e.startedAt - sorted[0]!.startedAt);
      waveEnd = e.startedAt + e.durationMs;
    } else {
      waveEnd = Math.max(waveEnd, e.startedAt + e.durationMs);
    }
  }
  return starts;
}
