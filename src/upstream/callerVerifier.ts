import { callerKey, type ConfirmedCallers } from './confirmedCallers.ts';
import type { Credentials } from './credentials.ts';
import type { FlowServiceClient } from './flowService/client.ts';

export { callerKey, type ConfirmationStore } from './confirmedCallers.ts';

/**
 * Confirms with the platform that a caller's token may reach its org and sandbox, before a
 * cross-request cache answers that caller. The check is the cheapest Flow Service call the
 * gateway authorises per org and sandbox (`GET /connections?limit=1`); any gateway call the
 * caller made itself and the platform answered with a 2xx confirms it as well (recorded by
 * the HTTP layer in the same `ConfirmedCallers`). Refusals are not kept, so a corrected
 * entitlement takes effect at once.
 */
export class CallerVerifier {
  readonly #checking = new Map<string, Promise<void>>();
  #checks = 0;

  constructor(
    private readonly flowService: FlowServiceClient,
    readonly confirmed: ConfirmedCallers,
  ) {}

  /**
   * Resolves once `c` is confirmed for its org and sandbox; rejects with the platform's
   * answer otherwise (an `UpstreamError`: 401 for a token it does not know, 403 for one not
   * entitled to the org). The server's own credentials need no check.
   */
  verify(c: Credentials): Promise<void> {
    if (this.confirmed.has(c)) return Promise.resolve();
    const key = callerKey(c);
    let checking = this.#checking.get(key);
    if (checking === undefined) {
      checking = this.#check(c);
      this.#checking.set(key, checking);
      const done = () => {
        if (this.#checking.get(key) === checking) this.#checking.delete(key);
      };
      checking.then(done, done);
    }
    return checking;
  }

  /** Another replica's confirmation, else the platform's answer. */
  async #check(c: Credentials): Promise<void> {
    if (await this.confirmed.sharedHas(c)) return;
    this.#checks++;
    // the check's own 2xx answer records the confirmation (src/upstream/serviceHttp.ts); so does this
    await this.flowService.listConnections(c, { limit: 1 });
    this.confirmed.record(c);
  }

  /** Records that the platform has just answered a call made with `c` in its org and sandbox. */
  confirm(c: Credentials): void {
    this.confirmed.record(c);
  }

  /** Upstream checks made so far. */
  get checks(): number {
    return this.#checks;
  }

  /** The keys confirmations are kept under (hashes), for inspection. */
  keys(): string[] {
    return this.confirmed.keys();
  }
}
