import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../errors.ts';
import { sendJson } from '../jsonResponse.ts';
import { IMS_ORG_ID } from '../upstream/credentials.ts';
import { IoEventsPublicKeys, PublicKeyError } from '../upstream/ioEvents/publicKeys.ts';
import type { RunEventCode } from '../upstream/ioEvents/types.ts';
import { CHALLENGE_PARAM, IO_EVENTS_HEADERS, RUN_EVENT_CODES, verifyBody } from '../upstream/ioEvents/wire.ts';
import { runEventKey, type RunEventBus, type RunFinishedEvent, type SeenKeys } from './runEvents.ts';

/** The path the API receives I/O Events deliveries at. */
export const IO_EVENTS_WEBHOOK_PATH = '/webhooks/io-events';

export interface IoEventsReceiverOptions {
  /** The `recipient_client_id` deliveries must name (IO_EVENTS_CLIENT_ID). */
  clientId: string;
  keys: IoEventsPublicKeys;
  seenKeys: SeenKeys;
  bus: RunEventBus;
  /** How long an event id is remembered; a delivery of it again within that time is absorbed. */
  dedupTtlMs: number;
  maxBodyBytes: number;
  /** Where a rejection is reported, one line each (the server's logger); unset, nowhere. */
  log?: (line: string) => void;
  /** The API's clock, epoch ms: the arrival of each delivery (`receivedAt` of its event). */
  now: () => number;
}

/** What the receiver did with the deliveries it got (`server.ioEvents.counts`). */
export interface IoEventsCounts {
  challenges: number;
  published: number;
  /** Deliveries of an event id seen before: answered 200, not published. */
  duplicates: number;
  /** Signed events for us of a code we do not handle. */
  ignored: number;
  rejected: Partial<Record<ErrorCode, number>>;
}

class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const CHALLENGE = /^[A-Za-z0-9._~-]{1,128}$/;
const MAX_ID_LENGTH = 256;
const SANDBOX_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

function oneHeader(req: IncomingMessage, name: string): string | undefined {
  const values = req.headersDistinct[name];
  return values?.length === 1 && values[0] !== '' ? values[0] : undefined;
}

function record(input: unknown, field: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new Rejection(400, ErrorCode.WEBHOOK_BAD_PAYLOAD, `${field}: must be a JSON object`);
  return input as Record<string, unknown>;
}

function text(input: unknown, field: string, form?: RegExp): string {
  if (
    typeof input !== 'string' ||
    input === '' ||
    input.length > MAX_ID_LENGTH ||
    (form !== undefined && !form.test(input))
  )
    throw new Rejection(
      400,
      ErrorCode.WEBHOOK_BAD_PAYLOAD,
      `${field}: must be ${form === undefined ? 'a non-empty string' : `a string of the form ${form.source}`}`,
    );
  return input;
}

/**
 * Receives Adobe I/O Events deliveries of finished source flow runs: answers the registration
 * challenge, verifies the signatures over the raw body with keys from the configured origin,
 * checks the recipient, absorbs repeated event ids and publishes each new run outcome on the
 * bus. Nothing reaches the bus before all of that passed.
 */
export class IoEventsReceiver {
  readonly counts: IoEventsCounts = { challenges: 0, published: 0, duplicates: 0, ignored: 0, rejected: {} };

  constructor(private readonly options: IoEventsReceiverOptions) {}

  /** The key cache; `fetches` counts its misses. */
  get keys(): IoEventsPublicKeys {
    return this.options.keys;
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    try {
      const method = (req.method ?? 'GET').toUpperCase();
      if (method === 'GET') return this.#challenge(res, url);
      if (method !== 'POST')
        return send(
          res,
          405,
          { code: ErrorCode.WEBHOOK_BAD_PAYLOAD, message: `${method} is not allowed here` },
          { allow: 'GET, POST' },
        );
      const answer = await this.#deliver(req, this.options.now());
      send(res, 200, answer);
    } catch (err) {
      if (!(err instanceof Rejection)) throw err;
      this.counts.rejected[err.code] = (this.counts.rejected[err.code] ?? 0) + 1;
      this.options.log?.(
        `io-events: refused a delivery from ${req.socket.remoteAddress ?? 'unknown'} with ${err.status} ${err.code}: ${err.message}`,
      );
      // a body left unread (too large, or refused before it was read) ends the connection: it cannot carry another request
      send(res, err.status, { code: err.code, message: err.message }, req.complete ? {} : { connection: 'close' });
    }
  }

  #challenge(res: ServerResponse, url: URL): void {
    const values = url.searchParams.getAll(CHALLENGE_PARAM);
    if (values.length !== 1 || !CHALLENGE.test(values[0]!))
      throw new Rejection(
        400,
        ErrorCode.WEBHOOK_BAD_CHALLENGE,
        `${CHALLENGE_PARAM}: one value of 1 to 128 letters, digits, '.', '_', '~' or '-' is required`,
      );
    this.counts.challenges++;
    send(res, 200, { challenge: values[0] });
  }

  async #deliver(req: IncomingMessage, receivedAt: number): Promise<Record<string, unknown>> {
    const h = IO_EVENTS_HEADERS;
    const names = [h.signature1, h.signature2, h.keyPath1, h.keyPath2];
    const values = names.map((name) => oneHeader(req, name));
    const missing = names.filter((_n, i) => values[i] === undefined);
    if (missing.length > 0)
      throw new Rejection(401, ErrorCode.WEBHOOK_UNSIGNED, `${missing.join(', ')}: required once each`);
    const signatures = (values as string[]).slice(0, 2);
    const paths = (values as string[]).slice(2);
    for (const path of paths) {
      try {
        this.options.keys.urlOf(path);
      } catch (err) {
        throw new Rejection(401, ErrorCode.WEBHOOK_BAD_KEY_PATH, (err as Error).message);
      }
    }
    const raw = await this.#readBody(req);
    await this.#verify(raw, signatures, paths);
    const event = this.#parse(raw);
    if (event === 'ignored') {
      this.counts.ignored++;
      return { ignored: true };
    }
    const { seenKeys, dedupTtlMs } = this.options;
    const eventKey = `io-events:${event.eventId}`;
    if (!(await seenKeys.firstSighting(eventKey, dedupTtlMs))) {
      this.counts.duplicates++;
      return { duplicate: true };
    }
    // the same outcome may have come already under another event id, or from the run poller
    if (!(await seenKeys.firstSighting(event.run.key, dedupTtlMs))) {
      this.counts.duplicates++;
      return { duplicate: true };
    }
    try {
      await this.options.bus.publish({ ...event.run, receivedAt });
    } catch (err) {
      // seen but not published: unmarked, so that the sender's retry (or the poller) publishes it
      await Promise.allSettled([seenKeys.forget(eventKey), seenKeys.forget(event.run.key)]);
      throw new Rejection(
        503,
        ErrorCode.WEBHOOK_PUBLISH_FAILED,
        `the event could not be published now (${err instanceof Error ? err.message : String(err)}); retry`,
      );
    }
    this.counts.published++;
    return { accepted: true };
  }

  async #readBody(req: IncomingMessage): Promise<Buffer> {
    const max = this.options.maxBodyBytes;
    const tooLarge = () => new Rejection(413, ErrorCode.WEBHOOK_BODY_TOO_LARGE, `the body is over ${max} bytes`);
    if (Number(req.headers['content-length'] ?? 0) > max) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > max) throw tooLarge();
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /**
   * As I/O Events documents it: the delivery is authentic when one of its two signatures
   * verifies with the key its path names (two keys, so that one can be rotated).
   */
  async #verify(raw: Buffer, signatures: string[], paths: string[]): Promise<void> {
    const results = await Promise.allSettled(paths.map((p) => this.options.keys.get(p)));
    const problems: string[] = [];
    for (const [i, result] of results.entries()) {
      if (result.status === 'fulfilled') {
        if (verifyBody(raw, signatures[i]!, result.value)) return;
        problems.push(`signature ${i + 1} does not verify`);
      } else problems.push(`key ${i + 1}: ${(result.reason as Error).message}`);
    }
    const transient = results.some((r) => r.status === 'rejected' && (r.reason as PublicKeyError).kind !== 'NOT_FOUND');
    if (transient) throw new Rejection(503, ErrorCode.WEBHOOK_KEY_UNAVAILABLE, problems.join('; '));
    throw new Rejection(401, ErrorCode.WEBHOOK_BAD_SIGNATURE, problems.join('; '));
  }

  #parse(raw: Buffer): { eventId: string; run: RunFinishedEvent } | 'ignored' {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new Rejection(400, ErrorCode.WEBHOOK_BAD_PAYLOAD, 'the body is not valid JSON');
    }
    const body = record(json, 'body');
    const recipient = body['recipient_client_id'];
    if (recipient !== this.options.clientId)
      throw new Rejection(
        400,
        ErrorCode.WEBHOOK_WRONG_RECIPIENT,
        `recipient_client_id: ${JSON.stringify(recipient)} is not this API's client id`,
      );
    const eventId = text(body['event_id'], 'event_id');
    const event = record(body['event'], 'event');
    const adobeio = record(record(event['header'], 'event.header')['_adobeio'], 'event.header._adobeio');
    const code = adobeio['eventCode'];
    if (!RUN_EVENT_CODES.includes(code as RunEventCode)) return 'ignored';
    const metrics = record(event['metrics'], 'event.metrics');
    const duration = record(metrics['durationSummary'], 'event.metrics.durationSummary');
    const finishedAt = duration['completedAtUTC'] ?? event['updatedAt'];
    if (typeof finishedAt !== 'number' || !Number.isFinite(finishedAt))
      throw new Rejection(
        400,
        ErrorCode.WEBHOOK_BAD_PAYLOAD,
        'event.metrics.durationSummary.completedAtUTC: must be epoch milliseconds',
      );
    const org = text(event['imsOrgId'], 'event.imsOrgId', IMS_ORG_ID);
    if (adobeio['imsOrgId'] !== org)
      throw new Rejection(
        400,
        ErrorCode.WEBHOOK_BAD_PAYLOAD,
        'event.header._adobeio.imsOrgId: must be the org of event.imsOrgId',
      );
    const runId = text(event['id'], 'event.id');
    const status = code === 'sources_flow_run_failure' ? 'failed' : 'success';
    return {
      eventId,
      run: {
        org,
        sandbox: text(event['sandboxName'], 'event.sandboxName', SANDBOX_NAME),
        key: runEventKey(runId, status),
        flowId: text(event['flowId'], 'event.flowId'),
        runId,
        status,
        finishedAt,
        source: 'webhook',
      },
    };
  }
}

/** What the receiver answers, never to be cached. */
function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJson(res, status, body, { 'cache-control': 'no-store', ...headers });
}
