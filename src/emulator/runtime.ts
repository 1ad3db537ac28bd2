import { Clock } from './clock.ts';
import { Entitlements } from './entitlements.ts';
import { Sandboxes } from './sandboxes.ts';
import { Webhooks } from './ioEvents/webhooks.ts';
import { RequestHolds } from './holds.ts';
import { takeMatch, type RequestMatcher } from './requestMatch.ts';
import { RequestLog, type FaultReset } from './requestLog.ts';
import { Store } from './store.ts';

export type { RequestLogEntry } from './requestLog.ts';

export interface Fault extends RequestMatcher {
  /** The answer's status; unused with `reset`. */
  status: number;
  reset?: FaultReset;
  body?: unknown;
  /** Response headers of the fault, e.g. `Retry-After`. */
  headers?: Record<string, string>;
  delayMs: number;
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
  /** The most recent service requests (`GET /__emulator/requests`). */
  readonly requests: RequestLog;
  faults: Fault[] = [];
  /** Requests held before the gateway until released (control routes `/__emulator/holds`). */
  readonly holds = new RequestHolds();
  /** Orgs each client's tokens may reach; a client with no grant reaches any org. */
  readonly entitlements = new Entitlements();
  /** The sandboxes of each org that declared them (`/__emulator/sandboxes`); the others have every name. */
  readonly sandboxes = new Sandboxes();
  /** Requests being served now, and the most at once since the last reset, per `x-gw-ims-org-id` sent. */
  readonly inFlight = new Map<string, number>();
  readonly peakInFlight = new Map<string, number>();
  /** I/O Events webhooks: every run that finishes is delivered to them (`/__emulator/webhooks`). */
  readonly webhooks: Webhooks;
  /** The emulator's own origin, known once it listens; inlet URLs point here. */
  baseUrl = '';

  /** Wall-clock epoch ms: IMS token lifetimes are real time whatever the time scale. */
  readonly wallClock: () => number;

  constructor(config: EmulatorConfig, options: { wallClock?: () => number; requestLogSize?: number } = {}) {
    this.config = { ...config };
    this.wallClock = options.wallClock ?? Date.now;
    this.clock = new Clock(config.timeScale, this.wallClock);
    this.webhooks = new Webhooks(this.clock);
    this.requests = new RequestLog(options.requestLogSize);
  }

  setConfig(update: Partial<EmulatorConfig>): void {
    if (update.latencyMs !== undefined) this.config.latencyMs = update.latencyMs;
    if (update.timeScale !== undefined) {
      this.config.timeScale = update.timeScale;
      this.clock.setTimeScale(update.timeScale);
      this.webhooks.kick();
    }
  }

  /** Counts a request naming `org` as being served until `leave`. */
  enter(org: string): void {
    const now = (this.inFlight.get(org) ?? 0) + 1;
    this.inFlight.set(org, now);
    if (now > (this.peakInFlight.get(org) ?? 0)) this.peakInFlight.set(org, now);
  }

  leave(org: string): void {
    const now = (this.inFlight.get(org) ?? 1) - 1;
    if (now === 0) this.inFlight.delete(org);
    else this.inFlight.set(org, now);
  }

  /** Takes the first fault matching this request, honouring `skip` and `times`. */
  takeFault(method: string, path: string): Fault | undefined {
    return takeMatch(this.faults, method, path);
  }
}
