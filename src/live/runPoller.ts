import type { LiveConfig } from '../config.ts';
import { runStatus } from '../graph/upstreamEnums.ts';
import { callerKey } from '../upstream/callerVerifier.ts';
import type { Credentials } from '../upstream/credentials.ts';
import type { FlowServiceClient } from '../upstream/flowService/client.ts';
import type { RunDto } from '../upstream/flowService/types.ts';
import { UpstreamError } from '../upstream/http.ts';
import { runEventKey, type RunEventBus, type RunFinishedEvent, type SeenKeys, type Tenant } from './runEvents.ts';

/** When polls happen. Injected: tests fire polls themselves instead of waiting. */
export interface PollScheduler {
  /** Runs `task` every `intervalMs` (never two at once) until the answer is called. */
  every(intervalMs: number, task: () => Promise<void>): () => void;
}

/** Timers of the process; they do not keep it alive. */
export const systemPollScheduler: PollScheduler = {
  every(intervalMs, task) {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const next = () => {
      timer = setTimeout(() => {
        // the task handles its own failures; the next poll is scheduled once it is over
        void task().finally(() => {
          if (!stopped) next();
        });
      }, intervalMs);
      timer.unref();
    };
    next();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  },
};

export interface RunPollerDeps {
  flowService: FlowServiceClient;
  bus: RunEventBus;
  seen: SeenKeys;
  config: Pick<LiveConfig, 'pollLookbackMs' | 'pollMaxRuns' | 'seenKeyTtlMs'>;
  /** The API's clock: where the first poll starts reading. */
  now: () => number;
  /** Credentials of the tenant's subscribers, longest connected first: the poller reads with the first the platform accepts. */
  candidates: () => Credentials[];
  /** The credentials to call with: the server's own get a current token. */
  fresh: (c: Credentials) => Promise<Credentials>;
  /** Where the live machinery reports what it had to drop or could not do (the server's logger). */
  warn: (message: string) => void;
}

const PAGE = 100;
const finished = (run: RunDto): RunFinishedEvent['status'] | undefined => {
  const status = runStatus(run.metrics.statusSummary.status);
  return status === 'SUCCESS' || status === 'PARTIAL_SUCCESS' ? 'success' : status === 'FAILED' ? 'failed' : undefined;
};
const refusal = (err: unknown): boolean => err instanceof UpstreamError && err.refusesCaller;

/**
 * Reads one tenant's runs finished since its last poll (Flow Service `GET /runs` filtered
 * on `metrics.durationSummary.completedAtUTC`, from the newest completion it has seen less
 * POLL_LOOKBACK_MS, for runs the Platform reports late) and publishes each one not seen
 * before, by webhook or poll, on any replica (SeenKeys).
 *
 * It reads with a subscriber's credentials, chosen at every poll among those still
 * connected: when that subscriber leaves, the next poll uses another's, and one the
 * platform refuses is passed over. Every subscriber of the tenant was confirmed for its org
 * and sandbox, and each resolves what it selects of an event with its own credentials.
 */
export class RunPoller {
  /** Newest completion seen (the Platform's clock), or where the first poll starts (the API's). */
  #since: number;
  readonly #refused = new Set<string>();
  #polls = 0;
  #published = 0;

  constructor(
    readonly tenant: Tenant,
    private readonly deps: RunPollerDeps,
  ) {
    this.#since = deps.now();
  }

  /** Polls made, and events they published. */
  get counters(): { polls: number; published: number } {
    return { polls: this.#polls, published: this.#published };
  }

  async poll(): Promise<void> {
    this.#polls++;
    const candidates = this.deps.candidates();
    const keys = new Set(candidates.map(callerKey));
    for (const key of this.#refused) if (!keys.has(key)) this.#refused.delete(key);
    for (const candidate of candidates) {
      const key = callerKey(candidate);
      if (this.#refused.has(key)) continue;
      let runs: RunDto[];
      try {
        runs = await this.#read(await this.deps.fresh(candidate));
      } catch (err) {
        if (!refusal(err)) throw err;
        this.#refused.add(key);
        continue;
      }
      await this.#publish(runs);
      return;
    }
  }

  async #read(c: Credentials): Promise<RunDto[]> {
    const property = [`metrics.durationSummary.completedAtUTC>${this.#since - this.deps.config.pollLookbackMs}`];
    const runs: RunDto[] = [];
    let token: string | undefined;
    do {
      const page = await this.deps.flowService.listRuns(c, { property, limit: PAGE, continuationToken: token });
      runs.push(...page.items);
      token = page.next ?? undefined;
    } while (token !== undefined && runs.length < this.deps.config.pollMaxRuns);
    if (token !== undefined)
      this.deps.warn(
        `run poller: more than POLL_MAX_RUNS=${this.deps.config.pollMaxRuns} runs finished in ${this.tenant.org}/${this.tenant.sandbox} since the last poll; the rest are not reported`,
      );
    return runs;
  }

  async #publish(runs: RunDto[]): Promise<void> {
    const done = runs
      .map((run) => ({ run, status: finished(run), at: run.metrics.durationSummary.completedAtUTC }))
      .filter(
        (x): x is { run: RunDto; status: RunFinishedEvent['status']; at: number } =>
          x.status !== undefined && x.at !== undefined,
      )
      .sort((a, b) => a.at - b.at);
    const receivedAt = this.deps.now();
    for (const { run, status, at } of done) {
      const key = runEventKey(run.id, status);
      if (await this.deps.seen.firstSighting(key, this.deps.config.seenKeyTtlMs)) {
        try {
          await this.deps.bus.publish({
            ...this.tenant,
            key,
            flowId: run.flowId,
            runId: run.id,
            status,
            finishedAt: at,
            source: 'poll',
            receivedAt,
          });
        } catch (err) {
          // seen but not published: unmarked, and the next poll reads from this run again
          await this.deps.seen.forget(key).catch(() => undefined);
          throw err;
        }
        this.#published++;
      }
      this.#since = Math.max(this.#since, at);
    }
  }
}
