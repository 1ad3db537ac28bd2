import { randomUUID } from 'node:crypto';
import type { RunDto } from '../../upstream/flowService/types.ts';
import type { RunEventCode, RunNotificationDto } from '../../upstream/ioEvents/types.ts';
import { IO_EVENTS_HEADERS, PLATFORM_NOTIFICATIONS_PROVIDER } from '../../upstream/ioEvents/wire.ts';
import type { Clock } from '../clock.ts';
import { SigningKeys } from './signingKeys.ts';

export interface WebhookRegistration {
  id: string;
  url: string;
  /** Sent as `recipient_client_id`: the integration the events are for. */
  clientId: string;
  eventCodes: RunEventCode[];
  /** Share of events delivered twice (0..1), decided by count, never by chance. */
  duplicateRate: number;
  /** Deliver the events due at once newest first. */
  reorder: boolean;
  /** Emulated epoch ms. */
  createdAt: number;
}

/** One delivery attempt, as the emulator made it. */
export interface DeliveryAttempt {
  eventId: string;
  eventCode: RunEventCode;
  /** 1 for the first attempt of a delivery. */
  attempt: number;
  duplicate: boolean;
  /** Emulated epoch ms. */
  at: number;
  /** The webhook's status, absent when it did not answer (`error` says why). */
  status?: number;
  error?: string;
  outcome: 'delivered' | 'retrying' | 'dropped';
  headers: Record<string, string>;
  body: string;
}

export interface WebhookStats {
  /** Deliveries enqueued (duplicates included). */
  deliveries: number;
  attempts: number;
  delivered: number;
  dropped: number;
  pending: number;
}

/** One notification for one webhook, shared by its duplicate; signed when first sent, not when the run finishes. */
interface Message {
  eventId: string;
  eventCode: RunEventCode;
  body: string;
  headers?: Record<string, string>;
}

interface Delivery {
  seq: number;
  message: Message;
  duplicate: boolean;
  attempts: number;
  firstAttemptAt: number | undefined;
  /** Emulated epoch ms at which the next attempt is due. */
  dueAt: number;
}

interface Endpoint {
  registration: WebhookRegistration;
  queue: Delivery[];
  log: DeliveryAttempt[];
  stats: WebhookStats;
  /** Events seen, for `duplicateRate`. */
  events: number;
  pumping: boolean;
}

/** How long the emulator waits for a webhook's answer, as I/O Events does. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Retries stop this long (emulated) after the first attempt; the delivery is dropped. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;
/** Deliveries waiting per registration; past it the oldest is dropped. */
export const MAX_PENDING_PER_WEBHOOK = 10_000;
/** Attempts remembered per registration (`GET /__emulator/webhooks/{id}`), the most recent. */
export const ATTEMPT_LOG_SIZE = 1_000;
export const MAX_WEBHOOKS = 100;

/** The wait before retry `n` (1-based): 1 min, doubling, at most 15 min (I/O Events' retry table). */
export function retryDelayMs(n: number): number {
  return Math.min(60_000 * 2 ** (n - 1), 15 * 60_000);
}

/** I/O Events retries a timeout, a refused connection, 429 and 5xx except 505; nothing else. */
export function retryable(status: number | undefined): boolean {
  return status === undefined || status === 429 || (status >= 500 && status <= 599 && status !== 505);
}

/**
 * The emulated Adobe I/O Events: webhook registrations and the delivery of every finished run
 * to them, signed, at least once, retried with back-off on emulated time. Deliveries to one
 * webhook go one at a time, in order of finishing (newest first with `reorder`); a retry
 * waits on the emulator's clock, so `POST /__emulator/clock` brings it forward.
 */
export class Webhooks {
  readonly keys = new SigningKeys();
  /** Requests for a public key the emulator served. */
  keyRequests = 0;
  readonly #endpoints = new Map<string, Endpoint>();
  readonly #stopped = new AbortController();
  #seq = 0;
  #timer: NodeJS.Timeout | undefined;
  #kickPending = false;
  #idleWaiters: Array<() => void> = [];

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.#endpoints.size;
  }

  add(registration: Omit<WebhookRegistration, 'id' | 'createdAt'>): WebhookRegistration {
    // made now, not on the first run's completion: a registration is the moment to spend the CPU
    void this.keys.pairs;
    const full = { id: randomUUID(), createdAt: this.clock.now(), ...registration };
    this.#endpoints.set(full.id, {
      registration: full,
      queue: [],
      log: [],
      stats: { deliveries: 0, attempts: 0, delivered: 0, dropped: 0, pending: 0 },
      events: 0,
      pumping: false,
    });
    return full;
  }

  remove(id: string): boolean {
    const removed = this.#endpoints.delete(id);
    this.#settleWaiters();
    return removed;
  }

  clear(): void {
    this.#endpoints.clear();
    this.#settleWaiters();
  }

  list(): Array<WebhookRegistration & { stats: WebhookStats }> {
    return [...this.#endpoints.values()].map((e) => ({ ...e.registration, stats: this.#stats(e) }));
  }

  get(id: string): (WebhookRegistration & { stats: WebhookStats; attempts: DeliveryAttempt[] }) | undefined {
    const e = this.#endpoints.get(id);
    return e === undefined ? undefined : { ...e.registration, stats: this.#stats(e), attempts: [...e.log] };
  }

  /** Enqueues the notification of a run that just finished for every webhook that wants its event code. */
  runFinished(run: RunDto): void {
    if (this.#endpoints.size === 0) return;
    const status = run.metrics.statusSummary.status;
    const eventCode: RunEventCode = status === 'failed' ? 'sources_flow_run_failure' : 'sources_flow_run_success';
    const eventId = randomUUID();
    const now = this.clock.now();
    const event: RunNotificationDto['event'] = {
      ...structuredClone(run),
      header: {
        _adobeio: { imsOrgId: run.imsOrgId, providerMetadata: PLATFORM_NOTIFICATIONS_PROVIDER, eventCode },
      },
      processStartTime: now,
      transformedTime: now,
    };
    for (const endpoint of this.#endpoints.values()) {
      const reg = endpoint.registration;
      if (!reg.eventCodes.includes(eventCode)) continue;
      const notification: RunNotificationDto = { event_id: eventId, event, recipient_client_id: reg.clientId };
      const message: Message = { eventId, eventCode, body: JSON.stringify(notification) };
      endpoint.events++;
      // the k-th event is sent twice when floor(k·rate) steps up: exactly that share, the same every run
      const twice =
        Math.floor(endpoint.events * reg.duplicateRate) > Math.floor((endpoint.events - 1) * reg.duplicateRate);
      for (const duplicate of twice ? [false, true] : [false])
        this.#enqueue(endpoint, { message, duplicate, dueAt: now });
    }
    this.kick();
  }

  /** Attempts what is due now; call after emulated time moved. */
  kick(): void {
    if (this.#kickPending || this.#stopped.signal.aborted) return;
    this.#kickPending = true;
    setImmediate(() => {
      this.#kickPending = false;
      for (const endpoint of this.#endpoints.values()) void this.#pump(endpoint);
      this.#arm();
      this.#settleWaiters();
    });
  }

  /**
   * Resolves once nothing is being delivered and nothing is due now (retries may wait on
   * emulated time), or after `timeoutMs`; says which.
   */
  async waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.#idle()) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#idleWaiters = this.#idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.#idleWaiters.push(done);
    });
  }

  stop(): void {
    this.#stopped.abort();
    clearTimeout(this.#timer);
    for (const w of this.#idleWaiters.splice(0)) w();
  }

  #enqueue(endpoint: Endpoint, d: Omit<Delivery, 'seq' | 'attempts' | 'firstAttemptAt'>): void {
    if (endpoint.queue.length >= MAX_PENDING_PER_WEBHOOK) {
      endpoint.queue.shift();
      endpoint.stats.dropped++;
    }
    endpoint.queue.push({ ...d, seq: ++this.#seq, attempts: 0, firstAttemptAt: undefined });
    endpoint.stats.deliveries++;
  }

  #stats(e: Endpoint): WebhookStats {
    return { ...e.stats, pending: e.queue.length };
  }

  #nextDue(endpoint: Endpoint): Delivery | undefined {
    const now = this.clock.now();
    let next: Delivery | undefined;
    for (const d of endpoint.queue) {
      if (d.dueAt > now) continue;
      if (next === undefined || (endpoint.registration.reorder ? d.seq > next.seq : d.seq < next.seq)) next = d;
    }
    return next;
  }

  #idle(): boolean {
    if (this.#kickPending) return false;
    for (const e of this.#endpoints.values()) if (e.pumping || this.#nextDue(e) !== undefined) return false;
    return true;
  }

  #settleWaiters(): void {
    if (this.#idleWaiters.length === 0 || !this.#idle()) return;
    for (const w of this.#idleWaiters.splice(0)) w();
  }

  async #pump(endpoint: Endpoint): Promise<void> {
    if (endpoint.pumping) return;
    endpoint.pumping = true;
    try {
      for (let d = this.#nextDue(endpoint); d !== undefined; d = this.#nextDue(endpoint)) {
        if (this.#stopped.signal.aborted || !this.#endpoints.has(endpoint.registration.id)) break;
        await this.#attempt(endpoint, d);
      }
    } finally {
      endpoint.pumping = false;
      this.#arm();
      this.#settleWaiters();
    }
  }

  async #attempt(endpoint: Endpoint, d: Delivery): Promise<void> {
    const at = this.clock.now();
    d.firstAttemptAt ??= at;
    d.attempts++;
    endpoint.stats.attempts++;
    const signed = this.#signed(d.message);
    const headers = d.attempts === 1 ? signed : { ...signed, [IO_EVENTS_HEADERS.retryCount]: String(d.attempts - 1) };
    let status: number | undefined;
    let error: string | undefined;
    try {
      const res = await fetch(endpoint.registration.url, {
        method: 'POST',
        headers,
        body: d.message.body,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(DELIVERY_TIMEOUT_MS), this.#stopped.signal]),
      });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    const delivered = status !== undefined && status >= 200 && status < 300;
    const retryAt = this.clock.now() + retryDelayMs(d.attempts);
    const retrying = !delivered && retryable(status) && retryAt - d.firstAttemptAt <= RETRY_WINDOW_MS;
    if (retrying) d.dueAt = retryAt;
    else {
      endpoint.queue.splice(endpoint.queue.indexOf(d), 1);
      if (delivered) endpoint.stats.delivered++;
      else endpoint.stats.dropped++;
    }
    endpoint.log.push({
      eventId: d.message.eventId,
      eventCode: d.message.eventCode,
      attempt: d.attempts,
      duplicate: d.duplicate,
      at,
      ...(status === undefined ? { error } : { status }),
      outcome: delivered ? 'delivered' : retrying ? 'retrying' : 'dropped',
      headers,
      body: d.message.body,
    });
    if (endpoint.log.length > ATTEMPT_LOG_SIZE) endpoint.log.shift();
  }

  #signed(message: Message): Record<string, string> {
    if (message.headers !== undefined) return message.headers;
    const { signatures, keyPaths } = this.keys.sign(message.body);
    message.headers = {
      'content-type': 'application/json',
      [IO_EVENTS_HEADERS.eventCode]: message.eventCode,
      [IO_EVENTS_HEADERS.eventId]: message.eventId,
      [IO_EVENTS_HEADERS.signature1]: signatures[0],
      [IO_EVENTS_HEADERS.signature2]: signatures[1],
      [IO_EVENTS_HEADERS.keyPath1]: keyPaths[0],
      [IO_EVENTS_HEADERS.keyPath2]: keyPaths[1],
    };
    return message.headers;
  }

  /** A real timer for the earliest retry, on the emulator's time scale; never keeps the process alive. */
  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stopped.signal.aborted) return;
    // what is due now is a pump's (each pump runs until nothing of its webhook is due)
    const now = this.clock.now();
    let earliest = Infinity;
    for (const e of this.#endpoints.values())
      for (const d of e.queue) if (d.dueAt > now) earliest = Math.min(earliest, d.dueAt);
    if (earliest === Infinity) return;
    const delay = Math.min(this.clock.realDelayUntil(earliest), 2 ** 31 - 1);
    this.#timer = setTimeout(() => this.kick(), delay);
    this.#timer.unref();
  }
}
