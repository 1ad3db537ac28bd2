import { Clock } from './clock.ts';
import { Store } from './store.ts';

export interface RequestLogEntry {
  method: string;
  path: string;
  /** The decoded query string without `?` (empty when none). */
  query: string;
  status: number;
  org: string | null;
  sandbox: string | null;
  startedAt: number;
  durationMs: number;
}

export interface Fault {
  method?: string;
  path: RegExp;
  status: number;
  body?: unknown;
  times: number;
  delayMs: number;
  skip: number;
}

export interface EmulatorConfig {
  latencyMs: number;
  timeScale: number;
}

/** Shared state of one running emulator: data, clock, controls. */
export class EmulatorRuntime {
  readonly store = new Store();
  readonly clock: Clock;
  readonly config: EmulatorConfig;
  requests: RequestLogEntry[] = [];
  faults: Fault[] = [];
  /** The emulator's own origin, known once it listens; inlet URLs point here. */
  baseUrl = '';
  private dirtyListener: (() => void) | undefined;

  /** Wall-clock epoch ms: IMS token lifetimes are real time whatever the time scale. */
  readonly wallClock: () => number;

  constructor(config: EmulatorConfig, wallClock: () => number = Date.now) {
    this.config = { ...config };
    this.wallClock = wallClock;
    this.clock = new Clock(config.timeScale, wallClock);
  }

  setConfig(update: Partial<EmulatorConfig>): void {
    if (update.latencyMs !== undefined) this.config.latencyMs = update.latencyMs;
    if (update.timeScale !== undefined) {
      this.config.timeScale = update.timeScale;
      this.clock.setTimeScale(update.timeScale);
    }
  }

  /** Takes the first fault matching this request, honouring `skip` and `times`. */
  takeFault(method: string, path: string): Fault | undefined {
    for (const fault of this.faults) {
      if (fault.times <= 0) continue;
      if (fault.method !== undefined && fault.method.toUpperCase() !== method) continue;
      if (!fault.path.test(path)) continue;
      if (fault.skip > 0) {
        fault.skip--;
        continue;
      }
      fault.times--;
      return fault;
    }
    return undefined;
  }

  onDirty(listener: () => void): void {
    this.dirtyListener = listener;
  }

  /** Called after every write so persistence can save. */
  markDirty(): void {
    this.dirtyListener?.();
  }
}
