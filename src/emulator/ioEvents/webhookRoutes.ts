import { randomUUID } from 'node:crypto';
import type { RunEventCode } from '../../upstream/ioEvents/types.ts';
import { CHALLENGE_PARAM, RUN_EVENT_CODES } from '../../upstream/ioEvents/wire.ts';
import { DELIVERY_TIMEOUT_MS, MAX_WEBHOOKS, type WebhookRegistration, type Webhooks } from './webhooks.ts';

export interface WebhookControlReply {
  status: number;
  body?: unknown;
}

/**
 * `recipient_client_id` of a registration that names no `clientId`: the API's own demo client
 * (`DEMO_CLIENT_ID` of src/config.ts, which the emulator may not import; a test keeps them equal).
 */
export const DEFAULT_RECIPIENT_CLIENT_ID = 'ingestion-graph-demo';
/** Longest a `POST /__emulator/webhooks/wait` waits. */
const MAX_WAIT_MS = 30_000;

const bad = (message: string): WebhookControlReply => ({ status: 400, body: { error: message } });

type Parsed = Omit<WebhookRegistration, 'id' | 'createdAt'>;

function parseRegistration(input: unknown): Parsed | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return 'body must be a JSON object {url, clientId?, eventCodes?, duplicateRate?, reorder?}';
  const r = input as Record<string, unknown>;
  let url: URL;
  try {
    url = new URL(String(r['url']));
  } catch {
    return 'url must be an absolute http(s) URL';
  }
  if (typeof r['url'] !== 'string' || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    return 'url must be an absolute http(s) URL';
  const clientId = r['clientId'] ?? DEFAULT_RECIPIENT_CLIENT_ID;
  if (typeof clientId !== 'string' || clientId.trim() === '' || clientId.length > 256)
    return 'clientId must be a non-empty string of at most 256 characters';
  const codes = r['eventCodes'] ?? RUN_EVENT_CODES;
  if (!Array.isArray(codes) || codes.length === 0)
    return `eventCodes must be a non-empty list of ${RUN_EVENT_CODES.join(', ')}`;
  const list: unknown[] = codes;
  const unknownAt = list.findIndex((c) => !RUN_EVENT_CODES.includes(c as RunEventCode));
  if (unknownAt >= 0)
    return `eventCodes[${unknownAt}]: ${JSON.stringify(list[unknownAt])} is not one of ${RUN_EVENT_CODES.join(', ')}`;
  const duplicateRate = r['duplicateRate'] ?? 0;
  if (typeof duplicateRate !== 'number' || !(duplicateRate >= 0 && duplicateRate <= 1))
    return 'duplicateRate must be a number from 0 to 1';
  const reorder = r['reorder'] ?? false;
  if (typeof reorder !== 'boolean') return 'reorder must be true or false';
  return { url: r['url'], clientId, eventCodes: [...new Set(list as RunEventCode[])], duplicateRate, reorder };
}

/**
 * The registration handshake: a GET with `?challenge=<random>` that must answer 200 with the
 * value, as the body itself (optionally a JSON string) or as `{"challenge": "..."}`. Returns
 * why it failed, or undefined.
 */
async function challenge(url: string): Promise<string | undefined> {
  const value = randomUUID();
  const target = new URL(url);
  target.searchParams.set(CHALLENGE_PARAM, value);
  try {
    const res = await fetch(target, { redirect: 'manual', signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
    const text = (await res.text()).slice(0, 4096).trim();
    if (res.status !== 200) return `it answered ${res.status}`;
    if (text === value || echoed(text) === value) return undefined;
    return 'its answer does not hold the challenge';
  } catch (err) {
    return `it could not be reached (${err instanceof Error ? err.message : String(err)})`;
  }
}

function echoed(text: string): unknown {
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null ? (json as Record<string, unknown>)['challenge'] : json;
  } catch {
    return undefined;
  }
}

/** The `/__emulator/webhooks` control routes. */
export async function webhookRoutes(
  webhooks: Webhooks,
  method: string,
  path: string,
  body: unknown,
): Promise<WebhookControlReply> {
  const rest = path.slice('/__emulator/webhooks'.length).replace(/^\//, '');
  if (rest === '') {
    switch (method) {
      case 'GET':
        return { status: 200, body: webhooks.list() };
      case 'DELETE':
        webhooks.clear();
        return { status: 204 };
      case 'POST': {
        const parsed = parseRegistration(body);
        if (typeof parsed === 'string') return bad(parsed);
        if (webhooks.size >= MAX_WEBHOOKS) return bad(`at most ${MAX_WEBHOOKS} webhooks may be registered`);
        const failed = await challenge(parsed.url);
        if (failed !== undefined)
          return bad(`url: the webhook ${parsed.url} failed the challenge handshake: ${failed}`);
        return { status: 201, body: webhooks.add(parsed) };
      }
    }
  } else if (rest === 'wait' && method === 'POST') {
    const timeoutMs = (body as { timeoutMs?: unknown } | undefined)?.timeoutMs ?? 10_000;
    if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_WAIT_MS)
      return bad(`timeoutMs must be an integer from 0 to ${MAX_WAIT_MS}`);
    const idle = await webhooks.waitIdle(timeoutMs);
    return { status: 200, body: { idle, webhooks: webhooks.list() } };
  } else if (!rest.includes('/')) {
    if (method === 'GET') {
      const found = webhooks.get(rest);
      return found === undefined
        ? { status: 404, body: { error: `no webhook ${rest}` } }
        : { status: 200, body: found };
    }
    if (method === 'DELETE')
      return webhooks.remove(rest) ? { status: 204 } : { status: 404, body: { error: `no webhook ${rest}` } };
  }
  return { status: 404, body: { error: `no control route ${method} ${path}` } };
}
