import { setMaxListeners } from 'node:events';
import { systemTimer, type Timer } from './timer.ts';
import { routeOperation } from './routeTemplate.ts';

/** Why an operation may not make (or finish) an upstream call. */
export type OperationLimitKind =
  /** The operation has made all the upstream requests it may. */
  | 'BUDGET'
  /** The operation's deadline passed. */
  | 'DEADLINE'
  /** The client that asked for the operation went away. */
  | 'ABORTED'
  /** The upstream asked to be retried later than the deadline leaves. */
  | 'RETRY_AFTER';

/** The upstream call that was refused or cut short. */
export interface LimitedCall {
  service: string;
  method: string;
  path: string;
}

export interface OperationLimitInit {
  kind: OperationLimitKind;
  message: string;
  call?: LimitedCall | undefined;
  /** RETRY_AFTER: the status that asked for the wait, and the wait. */
  status?: number | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/** An upstream call the operation's limits did not allow; `kind` is stable, the message explains. */
export class OperationLimitError extends Error {
  override readonly name = 'OperationLimitError';
  readonly kind: OperationLimitKind;
  readonly call: LimitedCall | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: OperationLimitInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.call = init.call;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
  }
}

export interface CallScopeOptions {
  /** Upstream requests (attempts, retries included) the operation may send; 0 = no limit. */
  maxRequests: number;
  /** Time the operation may take, waiting for connections and retries included. */
  timeoutMs: number;
  /** The client's: aborted when it goes away. */
  signal?: AbortSignal | undefined;
  /** The transport's timer, so that waits it makes count against the deadline. */
  timer?: Timer;
  /**
   * What the calls are made for, as the transport's observer knows it (the request's record,
   * src/observability/operation.ts): the scope only carries it to every call.
   */
  operation?: object | undefined;
}

/** A view of a scope (see `speculative()` and `exempt()`). */
type View = 'speculative' | 'exempt';

function describeCall(call: LimitedCall): string {
  return `${call.service} ${routeOperation(call.method, call.path)}`;
}

/**
 * The limits of one operation over every upstream call it makes: a request budget, a
 * deadline, and the client's signal. `signal` aborts at the deadline or when the client
 * goes away; its reason is the OperationLimitError that says which. Call `dispose` when
 * the operation is over.
 */
export class CallScope {
  readonly maxRequests: number;
  readonly timeoutMs: number;
  /** On the timer's scale. */
  readonly deadline: number;
  readonly signal: AbortSignal;
  /** What the calls are made for (see CallScopeOptions.operation). */
  readonly operation: object | undefined;
  /** False on the view `exempt()` returns: its calls are not counted, timed or cancelled. */
  readonly applies: boolean;
  readonly #timer: Timer;
  readonly #controller: AbortController;
  readonly #deadlineTimeout: NodeJS.Timeout;
  readonly #client: AbortSignal | undefined;
  readonly #onClientAbort = () => this.#abort('ABORTED');
  /** Shared with the speculative view: the operation's own requests and its speculative ones. */
  readonly #counts: { own: number; speculative: number };
  /** Which view of its scope this is; undefined on the scope itself. */
  readonly #view: View | undefined;
  /** The scope this is a view of, or itself; views are made once, on it. */
  readonly #root: CallScope;
  readonly #views = new Map<View, CallScope>();

  /** `of` is internal: the scope whose view this is, and which (see `speculative()` and `exempt()`). */
  constructor(options: CallScopeOptions, of?: { scope: CallScope; view: View }) {
    this.maxRequests = options.maxRequests;
    this.timeoutMs = options.timeoutMs;
    if (of !== undefined) {
      const { scope } = of;
      this.operation = scope.operation;
      this.applies = of.view !== 'exempt';
      this.#timer = scope.#timer;
      this.deadline = scope.deadline;
      this.#controller = scope.#controller;
      this.signal = scope.signal;
      this.#deadlineTimeout = scope.#deadlineTimeout;
      this.#counts = scope.#counts;
      this.#view = of.view;
      this.#root = scope.#root;
      return;
    }
    this.operation = options.operation;
    this.applies = true;
    this.#timer = options.timer ?? systemTimer;
    this.deadline = this.#timer.now() + options.timeoutMs;
    this.#controller = new AbortController();
    this.signal = this.#controller.signal;
    this.#counts = { own: 0, speculative: 0 };
    this.#view = undefined;
    this.#root = this;
    // every call in flight and every wait listens to it; an operation may have hundreds
    setMaxListeners(0, this.signal);
    this.#deadlineTimeout = setTimeout(() => this.#abort('DEADLINE'), options.timeoutMs);
    this.#deadlineTimeout.unref();
    this.#client = options.signal;
    if (this.#client?.aborted === true) this.#abort('ABORTED');
    else this.#client?.addEventListener('abort', this.#onClientAbort, { once: true });
  }

  /**
   * The same operation's limits for speculative requests (reads started before the operation
   * knows it needs them): they count in `sent` and share the deadline and the client, but the
   * budget treats them apart. A speculative request is refused once all the operation's
   * requests together have used the budget; the operation's own requests are refused only
   * when its own have. So a speculative request never makes one of its own fail.
   */
  speculative(): CallScope {
    return this.#viewOf('speculative');
  }

  /**
   * The same operation's scope with its calls exempt from its budget, deadline and client:
   * for compensations, which must not leave a write half undone because the operation ran
   * out. Each call still has the transport's own timeouts, and is the operation's (`operation`).
   */
  exempt(): CallScope {
    return this.#viewOf('exempt');
  }

  /** The operation's scope seen as `view`, made once; an exempt view stays exempt. */
  #viewOf(view: View): CallScope {
    if (this.#view === 'exempt' || this.#view === view) return this;
    const root = this.#root;
    let v = root.#views.get(view);
    if (v === undefined) {
      v = new CallScope({ maxRequests: root.maxRequests, timeoutMs: root.timeoutMs }, { scope: root, view });
      root.#views.set(view, v);
    }
    return v;
  }

  /** Upstream requests sent so far, speculative ones included. */
  get sent(): number {
    return this.#counts.own + this.#counts.speculative;
  }

  remainingMs(): number {
    return this.deadline - this.#timer.now();
  }

  /** Throws the OperationLimitError that forbids sending `call` now, if any. */
  check(call: LimitedCall): void {
    if (!this.applies) return;
    if (this.signal.aborted) throw this.refusal(this.#reasonKind(), call);
    if (this.remainingMs() <= 0) {
      this.#abort('DEADLINE');
      throw this.refusal('DEADLINE', call);
    }
    const counted = this.#view === 'speculative' ? this.sent : this.#counts.own;
    if (this.maxRequests > 0 && counted >= this.maxRequests) throw this.refusal('BUDGET', call);
  }

  /** `check`, then counts `call` as sent. */
  claim(call: LimitedCall): void {
    this.check(call);
    if (!this.applies) return;
    if (this.#view === 'speculative') this.#counts.speculative++;
    else this.#counts.own++;
  }

  /** The error for `call` when the operation's limits stopped it, in the words of `kind`. */
  refusal(kind: Exclude<OperationLimitKind, 'RETRY_AFTER'>, call?: LimitedCall, cause?: unknown): OperationLimitError {
    const what = call === undefined ? 'no further upstream call is made' : `${describeCall(call)} was not completed`;
    const message =
      kind === 'BUDGET'
        ? `The operation has made the ${this.maxRequests} upstream requests it may: ${call === undefined ? 'no further one is sent' : `${describeCall(call)} was not sent`}`
        : kind === 'DEADLINE'
          ? `The operation passed its deadline of ${this.timeoutMs} ms: ${what}`
          : `The client went away: ${what}`;
    return new OperationLimitError({ kind, message, call, cause });
  }

  /** The error for a `Retry-After` longer than the time left before the deadline. */
  retryAfterRefusal(call: LimitedCall, status: number, retryAfterMs: number, cause: unknown): OperationLimitError {
    const left = Math.max(0, Math.floor(this.remainingMs()));
    return new OperationLimitError({
      kind: 'RETRY_AFTER',
      message: `${call.service} answered HTTP ${status} to ${routeOperation(call.method, call.path)} asking to retry after ${Math.ceil(retryAfterMs / 1000)} s; the operation's deadline leaves ${left} ms`,
      call,
      status,
      retryAfterMs,
      cause,
    });
  }

  /** The kind of the abort that ended the scope (DEADLINE when it did not end by abort). */
  #reasonKind(): 'DEADLINE' | 'ABORTED' {
    const reason: unknown = this.signal.reason;
    return reason instanceof OperationLimitError && reason.kind === 'ABORTED' ? 'ABORTED' : 'DEADLINE';
  }

  #abort(kind: 'DEADLINE' | 'ABORTED'): void {
    if (this.signal.aborted) return;
    this.#controller.abort(this.refusal(kind));
  }

  /** Ends the scope: stops its deadline timer and forgets the client. */
  dispose(): void {
    if (this.#view !== undefined) return;
    clearTimeout(this.#deadlineTimeout);
    this.#client?.removeEventListener('abort', this.#onClientAbort);
  }
}
