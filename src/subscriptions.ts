import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import {
  createSourceEventStream,
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
} from 'graphql';
import type { Context as SocketContext } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { contextOf, resolveCredentials, type AppDeps } from './context.ts';
import { ErrorCode, formatError, hideSuggestions, limitExceeded } from './errors.ts';
import { createCostEstimator, operationCost, TooManyNodesError } from './graph/cost.ts';
import { LiveSource } from './graph/live/liveStream.ts';
import { untilChanged } from './live/untilChanged.ts';
import { SubscriptionFanOut } from './subscriptionFanOut.ts';
import { operationLimitRules } from './operationLimits.ts';
import { tenantOf, type Credentials } from './upstream/credentials.ts';
import { UpstreamError } from './upstream/http.ts';

export interface SubscriptionServerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  deps: AppDeps;
  /** Largest message a client may send, as for an HTTP body. */
  maxPayloadBytes: number;
}

export interface SubscriptionServer {
  /** Acknowledged connections of `tenant` (`org/sandbox`) now, or of every tenant. */
  connections(tenant?: string): number;
  /** Resolves once `condition` holds, checked whenever a connection is acknowledged or closes. */
  until(condition: () => boolean): Promise<void>;
  close(): Promise<void>;
}

interface Caller {
  credentials: Credentials;
  serverCredentials: boolean;
  tenant: string;
}

/** Close codes (4400-4499 as graphql-ws uses them). */
const CLOSE = { BAD_REQUEST: 4400, FORBIDDEN: 4403, TOO_MANY: 4429 } as const;

/** A close reason fits 123 bytes. */
const reason = (text: string): string =>
  Buffer.from(text)
    .subarray(0, 123)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');

/** `connection_init`'s payload as HTTP headers: names lowercased, every value a string. */
function headersOf(payload: Record<string, unknown> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload ?? {})) {
    if (typeof value !== 'string') throw new Error(`connection_init payload: ${name} must be a string header value`);
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  if (typeof error.extensions['code'] === 'string') return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

/**
 * Subscriptions over graphql-ws (`graphql-transport-ws`) on the API's own port and path.
 * `connection_init` carries the headers an HTTP request would; they are resolved and, for a
 * pass-through caller, confirmed with the platform before the connection is acknowledged.
 * Each subscription document passes the same limits as an HTTP operation (tokens, depth,
 * aliases, directives, cost); queries and mutations go over HTTP.
 */
export function serveSubscriptions(options: SubscriptionServerOptions): SubscriptionServer {
  const { schema, deps } = options;
  const { limits } = deps.config;
  const live = deps.config.live;
  const rules = [...specifiedRules, ...operationLimitRules(limits)];
  const estimator = createCostEstimator(schema, { ingestionMaxPoints: deps.config.ingestionMaxPoints });
  const callers = new WeakMap<object, Caller>();
  const perTenant = new Map<string, number>();
  const changes = new EventEmitter().setMaxListeners(0);
  /** Each subscription's socket and id, and the text its execution is shared by: its document, operation and variables. */
  const subscriptions = new WeakMap<ExecutionArgs, { socket: WebSocket; id: string; text: string }>();
  const wss = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: options.maxPayloadBytes,
    // a thousand subscribers of one answer: compressing each copy would cost more than it saves
    perMessageDeflate: false,
  });

  const format = (errors: readonly GraphQLError[]) => {
    if (!deps.config.introspection) hideSuggestions(errors);
    return errors.map((e) => formatError(e.toJSON(), e));
  };

  if (deps.live === undefined) throw new Error('serveSubscriptions: deps.live must be set first');
  const fanOut = new SubscriptionFanOut({ live: deps.live, format });

  const refuse = (ctx: SocketContext<Record<string, unknown>, Extra>, code: number, text: string): false => {
    ctx.extra.socket.close(code, reason(text));
    return false;
  };

  const onConnect = async (ctx: SocketContext<Record<string, unknown>, Extra>) => {
    let headers: Record<string, string>;
    try {
      headers = headersOf(ctx.connectionParams);
    } catch (err) {
      return refuse(ctx, CLOSE.BAD_REQUEST, (err as Error).message);
    }
    let resolved: Awaited<ReturnType<typeof resolveCredentials>>;
    try {
      resolved = await resolveCredentials(deps, headers);
      await deps.callers.verify(resolved.credentials);
    } catch (err) {
      if (err instanceof GraphQLError) return refuse(ctx, CLOSE.FORBIDDEN, err.message);
      if (err instanceof UpstreamError && err.refusesCaller)
        return refuse(ctx, CLOSE.FORBIDDEN, `the platform refused the credentials (HTTP ${err.status})`);
      return refuse(ctx, CLOSE.FORBIDDEN, 'the credentials could not be confirmed with the platform');
    }
    const tenant = tenantOf(resolved.credentials);
    const open = perTenant.get(tenant) ?? 0;
    if (open >= live.maxConnectionsPerTenant)
      return refuse(
        ctx,
        CLOSE.TOO_MANY,
        `${tenant} holds ${open} subscription connections (MAX_WS_CONNECTIONS_PER_TENANT)`,
      );
    perTenant.set(tenant, open + 1);
    callers.set(ctx, { ...resolved, tenant });
    changes.emit('change');
    return true;
  };

  const onClose = (ctx: SocketContext<Record<string, unknown>, Extra>) => {
    const caller = callers.get(ctx);
    if (caller === undefined) return;
    callers.delete(ctx);
    const left = (perTenant.get(caller.tenant) ?? 1) - 1;
    if (left === 0) perTenant.delete(caller.tenant);
    else perTenant.set(caller.tenant, left);
    changes.emit('change');
  };

  const onSubscribe = async (
    ctx: SocketContext<Record<string, unknown>, Extra>,
    id: string,
    payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  ): Promise<ExecutionArgs | readonly GraphQLError[]> => {
    const caller = callers.get(ctx)!;
    // this subscription is already among them
    if (Object.keys(ctx.subscriptions).length > live.maxSubscriptionsPerConnection)
      return [
        limitExceeded(
          ErrorCode.TOO_MANY_SUBSCRIPTIONS,
          `This connection holds ${live.maxSubscriptionsPerConnection} subscriptions (MAX_SUBSCRIPTIONS_PER_CONNECTION); complete one first`,
        ),
      ];
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: limits.maxTokens });
    } catch (err) {
      return [withCode(err as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
    }
    const invalid = validate(schema, document, rules);
    if (invalid.length > 0) return invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
    const operation = getOperationAST(document, payload.operationName);
    if (operation === null || operation === undefined)
      return [new GraphQLError('Name the operation to run', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION)
      return [
        new GraphQLError(`Send ${operation.operation} operations over HTTP; this socket serves subscriptions`, {
          extensions: { code: 'BAD_REQUEST' },
        }),
      ];
    const variables = payload.variables ?? {};
    let cost: number | undefined;
    try {
      cost = operationCost(schema, estimator, document, payload.operationName ?? undefined, variables, limits.maxNodes);
    } catch (err) {
      if (!(err instanceof TooManyNodesError)) throw err;
      return [limitExceeded(ErrorCode.QUERY_TOO_COMPLEX, `Selection limit of ${limits.maxNodes} exceeded`)];
    }
    if (cost !== undefined && cost > limits.maxCost)
      return [
        limitExceeded(
          ErrorCode.QUERY_TOO_COMPLEX,
          `Cost limit of ${limits.maxCost} exceeded, found ${cost}: each event's answer could hold that many objects.`,
        ),
      ];
    const credentials = caller.serverCredentials
      ? { ...caller.credentials, accessToken: await deps.tokens.getToken() }
      : caller.credentials;
    const args: ExecutionArgs = {
      schema,
      document,
      operationName: payload.operationName,
      variableValues: variables,
      contextValue: contextOf(deps, credentials, caller.serverCredentials),
    };
    subscriptions.set(args, {
      socket: ctx.extra.socket,
      id,
      text: JSON.stringify([payload.query, payload.operationName ?? null, variables]),
    });
    return args;
  };

  const server = useServer<Record<string, unknown>>(
    {
      schema,
      onConnect,
      onClose,
      onSubscribe,
      subscribe: async (args) => {
        const stream = await createSourceEventStream(args);
        if (!(Symbol.asyncIterator in stream)) {
          // variables that do not coerce, or a filter the subscribe resolver refused
          return { ...stream, errors: stream.errors?.map((e) => withCode(e, ErrorCode.BAD_USER_INPUT)) };
        }
        const at = subscriptions.get(args);
        if (!(stream instanceof LiveSource) || at === undefined)
          throw new Error('a subscription field must answer a LiveSource');
        return fanOut.add(args, at.text, stream, at.socket, at.id);
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wss,
  );

  return {
    connections: (tenant) =>
      tenant === undefined ? [...perTenant.values()].reduce((a, b) => a + b, 0) : (perTenant.get(tenant) ?? 0),
    until: (condition) => untilChanged(changes, condition),
    async close() {
      await server.dispose();
    },
  };
}
