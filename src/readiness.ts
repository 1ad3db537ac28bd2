import { HttpTransport, UpstreamError, type ServiceName } from './upstream/http.ts';
import { networkCode } from './upstream/upstreamError.ts';

/** One upstream `/ready` depends on: reachable when it answers HTTP below 500 in time. */
export interface ProbeTarget {
  service: ServiceName;
  method: 'GET' | 'POST';
  url: string;
  /** A form body (the IMS token endpoint is POST only; without credentials it answers 400). */
  form?: Record<string, string>;
}

export interface TargetState {
  service: ServiceName;
  reachable: boolean;
  /** The status it answered, or why it counts as unreachable. */
  detail: string;
}

export type ReadinessStatus = 'starting' | 'ready' | 'unavailable' | 'draining';

export interface ReadinessState {
  status: ReadinessStatus;
  /** The targets as the last probe found them. */
  targets: TargetState[];
}

/** How the probe repeats: `run` every `ms` until the returned function is called. */
export type Schedule = (run: () => void, ms: number) => () => void;

const intervalSchedule: Schedule = (run, ms) => {
  const handle = setInterval(run, ms);
  // the probe alone never keeps the process alive
  handle.unref();
  return () => clearInterval(handle);
};

export interface ReadinessOptions {
  targets: ProbeTarget[];
  intervalMs: number;
  /** Headers and body time of one probe request. */
  timeoutMs: number;
  /** Default: `setInterval`; tests pass one that never fires and call `refresh()`. */
  schedule?: Schedule;
}

/**
 * What `/ready` answers. The upstream targets are probed on an interval (and once at
 * start), never per request: `/ready` reads the last result. A probe sends no credentials;
 * any HTTP answer below 500 (a 401, a 400 from IMS included) shows the service is
 * reachable, while a refused or dropped connection, a timeout or a 5xx does not. `drain()` (on SIGTERM) makes it 503 for
 * good, so a load balancer stops sending traffic while the API still serves.
 */
export class Readiness {
  readonly #targets: ProbeTarget[];
  // a transport of its own: no retries (a probe that fails says so), no tenant slots, no metrics
  readonly #transport: HttpTransport;
  readonly #stopSchedule: () => void;
  #state: ReadinessState = { status: 'starting', targets: [] };
  #draining = false;
  #running: Promise<ReadinessState> | undefined;

  constructor(options: ReadinessOptions) {
    this.#targets = options.targets;
    this.#transport = new HttpTransport({
      connections: 1,
      connectionsPerTenant: 0,
      maxRetries: 0,
      connectTimeout: options.timeoutMs,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    this.#stopSchedule = (options.schedule ?? intervalSchedule)(() => {
      void this.refresh();
    }, options.intervalMs);
  }

  state(): ReadinessState {
    return this.#draining ? { ...this.#state, status: 'draining' } : this.#state;
  }

  /** Probes every target now (joining a probe under way) and returns the new state. */
  refresh(): Promise<ReadinessState> {
    this.#running ??= this.#probe().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** From now on `/ready` answers 503 (`draining`), whatever the probes find. */
  drain(): void {
    this.#draining = true;
  }

  async stop(): Promise<void> {
    this.#stopSchedule();
    await this.#running?.catch(() => undefined);
    await this.#transport.close();
  }

  async #probe(): Promise<ReadinessState> {
    const targets = await Promise.all(this.#targets.map((t) => this.#probeOne(t)));
    this.#state = { status: targets.every((t) => t.reachable) ? 'ready' : 'unavailable', targets };
    return this.state();
  }

  async #probeOne(target: ProbeTarget): Promise<TargetState> {
    try {
      const res = await this.#transport.request({
        service: target.service,
        method: target.method,
        url: target.url,
        body: target.form === undefined ? undefined : { form: target.form },
        // deliberately without credentials (a 401 is a fine answer): named apart from the API's own calls
        headers: { 'user-agent': PROBE_USER_AGENT },
        // every status resolves: the probe judges it, the transport does not retry it
        expect: STATUSES,
      });
      const reachable = res.status < 500;
      return { service: target.service, reachable, detail: `HTTP ${res.status}` };
    } catch (err) {
      const code = err instanceof UpstreamError ? networkCode(err.cause) : undefined;
      return { service: target.service, reachable: false, detail: code ?? 'no answer' };
    }
  }
}

/** The user agent of probe requests, so that logs and contract checks tell them from the API's calls. */
const PROBE_USER_AGENT = 'ingestion-graph-readiness-probe';

const STATUSES: readonly number[] = Array.from({ length: 500 }, (_, i) => i + 100);
