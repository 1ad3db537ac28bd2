import type { Config, InputLimits } from './config.ts';
import { badHeader, badInput, ErrorCode, requestError, unauthenticated } from './errors.ts';
import type { CallScope } from './upstream/callScope.ts';
import { callerKey, type CallerVerifier } from './upstream/callerVerifier.ts';
import type { UpstreamClients } from './upstream/clients.ts';
import { IMS_ORG_ID, tenantOf, type Credentials } from './upstream/credentials.ts';
import type { ImsTokenProvider } from './upstream/ims/tokenProvider.ts';
import { createConnectionLoaders } from './graph/connection/loaders.ts';
import { createDatasetLoaders } from './graph/dataset/loaders.ts';
import { createFlowLoaders } from './graph/flow/loaders.ts';
import { createMappingLoaders } from './graph/mapping/loaders.ts';
import { createSchemaLoaders } from './graph/schema/loaders.ts';
import { createSpecLoaders } from './graph/spec/loaders.ts';
import type { SpecCache } from './graph/spec/specCache.ts';
import type { LinkPredictions } from './graph/connection/linkPredictions.ts';
import { EarlyLinks } from './graph/flow/earlyLinks.ts';
import type { IdempotencyStore } from './orchestration/idempotency.ts';
import type { LiveHub } from './live/liveHub.ts';
import type { RunFinishedEvent } from './live/runEvents.ts';
import type { TargetConnectionDto } from './upstream/flowService/types.ts';
import type { Operation } from './observability/operation.ts';

/** Built once at start and shared by every request. */
export interface AppDeps {
  config: Config;
  clients: UpstreamClients;
  specs: SpecCache;
  /** Confirms pass-through callers with the platform before a cross-request cache answers them. */
  callers: CallerVerifier;
  /** The server's own IMS credentials; used for callers that send none, where allowed. */
  tokens: ImsTokenProvider;
  /** Idempotency records of mutations; in memory by default, shared when the API runs as replicas. */
  idempotency: IdempotencyStore;
  /** What target connections named when last read, per tenant: ids a request reads early (LINK_PREDICTION_MAX_ENTRIES). */
  linkPredictions?: LinkPredictions;
  /** False only for the benchmarks' naive server: every loader key becomes its own upstream call. */
  batching?: boolean;
  /** The API's clock, epoch ms. */
  now: () => number;
  /** Told the size of every DataLoader batch (metrics). */
  onLoaderBatch?: (loader: string, keys: number) => void;
  /** Subscriptions; set once the server has built them. */
  live?: Live;
}

/** What subscription resolvers need beyond a request's context. */
export interface Live {
  hub: LiveHub;
  /**
   * The context an event is resolved in for a subscriber: its own credentials (the server's
   * with a current token), confirmed again, and fresh loaders. One per event and caller, so
   * that subscribers with the same credentials share the reads of one event.
   */
  eventContext(event: RunFinishedEvent, credentials: Credentials): Promise<Context>;
  /** Events the subscriptions of one document and credentials may have waiting (SUBSCRIPTION_BUFFER_SIZE). */
  bufferSize: number;
  /** Bytes a subscriber's socket may hold unsent (SUBSCRIPTION_SOCKET_BUFFER_BYTES). */
  socketBufferBytes: number;
  /** Flows one flowHealthChanged subscription remembers (SUBSCRIPTION_HEALTH_MAX_FLOWS). */
  healthMaxFlows: number;
  /** Where the live machinery reports what it had to drop or could not do (the server's logger). */
  warn: (message: string) => void;
}

export function createLoaders(deps: AppDeps, c: Credentials) {
  const o = { batch: deps.batching !== false, onBatch: deps.onLoaderBatch };
  const predictions = o.batch ? deps.linkPredictions : undefined;
  // learned only from what the platform answered a caller it has confirmed for the tenant
  const learn =
    predictions?.enabled === true
      ? (ids: readonly string[], found: readonly TargetConnectionDto[]) => {
          if (deps.callers.confirmed.has(c)) predictions.learn(tenantOf(c), ids, found);
        }
      : undefined;
  return {
    ...createFlowLoaders(deps.clients, c, o),
    ...createConnectionLoaders(deps.clients, c, o, learn),
    ...createSpecLoaders(deps.specs, c, o),
    ...createDatasetLoaders(deps.clients, c, o),
    ...createSchemaLoaders(deps.clients, c, o),
    ...createMappingLoaders(deps.clients, c, o),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

export interface Context {
  credentials: Credentials;
  /** True when the request runs on the server's own IMS token. */
  serverCredentials: boolean;
  clients: UpstreamClients;
  specs: SpecCache;
  callers: CallerVerifier;
  idempotency: IdempotencyStore;
  /** Per request: never shared between callers, so one org's data never reaches another. */
  loaders: Loaders;
  /** Per request: a flow's links read in the same wave as its connections (src/graph/flow/earlyLinks.ts). */
  earlyLinks: EarlyLinks;
  /** One clock reading per request, so computed fields agree with each other. */
  now: number;
  /** Bounds on mutation inputs (configuration). */
  inputLimits: InputLimits;
  /** Limits of field arguments, from the configuration. */
  limits: {
    ingestionMaxPoints: number;
    /** The ranges a fleet scan reads at once: the tenant's upstream connections. */
    fleetScanRanges: number;
  };
  /** Set on the server that serves subscriptions. */
  live: Live | undefined;
  /** The request's record (request id, log, span, secrets); none for a subscriber's event. */
  operation: Operation | undefined;
}

/** Request headers as `IncomingMessage.headersDistinct` gives them: every value of a repeated header. */
type Headers = Record<string, string | string[] | undefined>;

/** The headers that say who calls and where; each must come once, with one value. */
type CallerHeader = 'authorization' | 'x-api-key' | 'x-gw-ims-org-id' | 'x-sandbox-name';

/**
 * The one value of a caller header, or undefined when absent or blank. Sent twice or with
 * comma-joined values it is refused: which of them counts would depend on the proxy.
 */
function header(headers: Headers, name: CallerHeader): string | undefined {
  const v = headers[name];
  const values = v === undefined ? [] : Array.isArray(v) ? v : [v];
  if (values.length > 1) throw badHeader(ErrorCode.DUPLICATE_HEADER, name, `sent ${values.length} times; send it once`);
  const one = values[0]?.trim();
  if (one === undefined || one === '') return undefined;
  if (one.includes(','))
    throw badHeader(ErrorCode.DUPLICATE_HEADER, name, 'holds several comma-separated values; send one');
  return one;
}

function orgIdHeader(headers: Headers): string | undefined {
  const orgId = header(headers, 'x-gw-ims-org-id');
  if (orgId !== undefined && !IMS_ORG_ID.test(orgId))
    throw badHeader(
      ErrorCode.INVALID_HEADER,
      'x-gw-ims-org-id',
      'must be an IMS org id: up to 64 ASCII letters and digits followed by @AdobeOrg',
    );
  return orgId;
}

const SANDBOX_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The caller headers, each read once and checked: what both credential paths start from. */
function callerHeaders(config: Config, headers: Headers) {
  const authorization = header(headers, 'authorization');
  const apiKey = header(headers, 'x-api-key');
  const orgId = orgIdHeader(headers);
  const sandbox = (header(headers, 'x-sandbox-name') ?? config.defaultSandbox).toLowerCase();
  if (!SANDBOX_NAME.test(sandbox))
    throw badInput('x-sandbox-name', 'must be a sandbox name (lowercase letters, digits and dashes)');
  return { authorization, apiKey, orgId, sandbox };
}

/**
 * The credentials of a caller that sends `Authorization` (passed through with its own api
 * key, org and sandbox), undefined for one that sends none; throws the coded error of a
 * bad or ambiguous header. Synchronous and local: it runs before a request's body is read.
 */
export function passThroughCredentials(config: Config, headers: Headers): Credentials | undefined {
  return passThrough(callerHeaders(config, headers));
}

function passThrough(h: ReturnType<typeof callerHeaders>): Credentials | undefined {
  const { authorization, apiKey, orgId, sandbox } = h;
  if (authorization === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (match === null) throw unauthenticated('Authorization must be "Bearer <IMS access token>"');
  if (apiKey === undefined) throw unauthenticated('x-api-key is required with an Authorization header');
  if (orgId === undefined) throw unauthenticated('x-gw-ims-org-id is required with an Authorization header');
  return { accessToken: match[1]!, apiKey, orgId, sandbox };
}

/**
 * Credentials per request: a caller that sends `Authorization` is passed through with its
 * own api key, org and sandbox; otherwise the server's own token is used where the
 * configuration allows it. The sandbox comes from `x-sandbox-name` or the default.
 */
export async function resolveCredentials(
  deps: AppDeps,
  headers: Headers,
  operation?: object,
): Promise<{ credentials: Credentials; serverCredentials: boolean }> {
  const h = callerHeaders(deps.config, headers);
  const { orgId, sandbox } = h;
  const caller = passThrough(h);
  if (caller !== undefined) return { credentials: caller, serverCredentials: false };
  if (!deps.config.allowAnonymous) {
    throw unauthenticated('Send an IMS access token (Authorization: Bearer ...) with x-api-key and x-gw-ims-org-id');
  }
  // the server's own token reaches only its own org: never answer for another org with it
  if (orgId !== undefined && orgId !== deps.config.orgId) {
    throw unauthenticated(
      `x-gw-ims-org-id ${orgId} needs an Authorization header; without one, requests run in the server's own org`,
    );
  }
  const accessToken = await deps.tokens.getToken(operation);
  return {
    credentials: { accessToken, apiKey: deps.config.clientId, orgId: deps.config.orgId, sandbox, serverOwned: true },
    serverCredentials: true,
  };
}

/**
 * The context of one request; credential problems reject it as a whole (401, 400, or 502
 * when IMS fails). Every upstream call of the request runs within `scope` (its budget,
 * deadline and client), which travels with the credentials.
 */
export async function createContext(
  deps: AppDeps,
  headers: Headers,
  scope?: CallScope,
  operation?: Operation,
): Promise<Context> {
  let resolved: Awaited<ReturnType<typeof resolveCredentials>>;
  try {
    resolved = await resolveCredentials(deps, headers, operation);
  } catch (err) {
    throw requestError(err);
  }
  return contextOf(deps, { ...resolved.credentials, scope }, resolved.serverCredentials, operation);
}

/** The context of credentials already resolved (an HTTP request's, a subscriber's). */
export function contextOf(
  deps: AppDeps,
  credentials: Credentials,
  serverCredentials: boolean,
  operation?: Operation,
): Context {
  const loaders = createLoaders(deps, credentials);
  return {
    credentials,
    serverCredentials,
    clients: deps.clients,
    specs: deps.specs,
    callers: deps.callers,
    idempotency: deps.idempotency,
    loaders,
    earlyLinks: new EarlyLinks(
      loaders,
      credentials,
      deps.linkPredictions,
      // the naive server of the benchmarks reads nothing early
      deps.batching !== false,
      () => deps.callers.confirmed.has(credentials),
    ),
    now: deps.now(),
    inputLimits: deps.config.inputLimits,
    limits: {
      ingestionMaxPoints: deps.config.ingestionMaxPoints,
      fleetScanRanges: deps.config.upstreamConnectionsPerTenant,
    },
    live: deps.live,
    operation,
  };
}

/**
 * What an event's context is shared by: the server's own credentials in one sandbox, or one
 * caller's token, API key, org and sandbox. Subscribers with the same key read with the same
 * credentials, so they may share an event's reads and its execution; no others may.
 */
export function eventContextKey(credentials: Credentials): string {
  return credentials.serverOwned === true
    ? `server\u0000${credentials.orgId}\u0000${credentials.sandbox}`
    : callerKey(credentials);
}

/** `Live.eventContext`: contexts per event (while the event is referenced) and caller. */
export function eventContexts(deps: AppDeps): Live['eventContext'] {
  const byEvent = new WeakMap<RunFinishedEvent, Map<string, Promise<Context>>>();
  const build = async (c: Credentials): Promise<Context> => {
    if (c.serverOwned === true) return contextOf(deps, { ...c, accessToken: await deps.tokens.getToken() }, true);
    // a token revoked or an entitlement withdrawn since the subscription started ends it here
    await deps.callers.verify(c);
    return contextOf(deps, c, false);
  };
  return (event, credentials) => {
    let contexts = byEvent.get(event);
    if (contexts === undefined) byEvent.set(event, (contexts = new Map<string, Promise<Context>>()));
    const key = eventContextKey(credentials);
    let context = contexts.get(key);
    if (context === undefined) contexts.set(key, (context = build(credentials)));
    return context;
  };
}
