import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client, type ClientOptions } from 'graphql-ws';
import { GraphQLResponseError } from './index.ts';

export interface SubscriptionClientOptions {
  /** The API's GraphQL URL (`http(s)://…/graphql`, or its `ws(s)://` form): subscriptions go over a WebSocket there. */
  url: string | URL;
  /** Sent in `connection_init` as the HTTP headers a query would send: `authorization`, `x-api-key`, `x-gw-ims-org-id`, `x-sandbox-name`. */
  headers?: Record<string, string>;
  /** The WebSocket class where there is no global one (Node 20: `import WebSocket from 'ws'`). */
  webSocketImpl?: unknown;
  /** Further graphql-ws client options (retries, laziness, keep-alive). */
  client?: Omit<ClientOptions, 'url' | 'connectionParams' | 'webSocketImpl'>;
}

/** Variables are optional for an operation that declares none, required otherwise. */
type SubscribeArgs<TVariables> =
  Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export interface SubscriptionClient {
  /**
   * The events of `document` as its `data`, typed by the document, until the loop is left
   * (which completes the subscription). An event with errors ends it with a GraphQLResponseError
   * (carrying that event's partial data), as does a subscription the API refuses; a connection
   * the API closes (4403: credentials refused) ends it with an Error naming the close code.
   */
  subscribe<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...[variables]: SubscribeArgs<TVariables>
  ): AsyncGenerator<TResult, void, undefined>;
  /** Closes the WebSocket and every subscription on it. */
  dispose(): Promise<void>;
  /** The graphql-ws client underneath. */
  readonly client: Client;
}

const isErrors = (e: unknown): e is GraphQLFormattedError[] =>
  Array.isArray(e) && e.every((x) => typeof (x as { message?: unknown } | null)?.message === 'string');

/** A graphql-ws client of the API whose subscriptions take the typed documents of `ingestion-graph/client`. */
export function createSubscriptionClient(options: SubscriptionClientOptions): SubscriptionClient {
  const url = new URL(options.url);
  url.protocol = url.protocol.replace(/^http/, 'ws');
  const client = createClient({
    ...options.client,
    url: url.href,
    connectionParams: options.headers ?? {},
    webSocketImpl: options.webSocketImpl,
  });
  return {
    client,
    async *subscribe<TResult, TVariables>(
      document: TypedDocumentNode<TResult, TVariables>,
      ...[variables]: SubscribeArgs<TVariables>
    ): AsyncGenerator<TResult, void, undefined> {
      const results = client.iterate<TResult>({
        query: print(document),
        variables: variables as Record<string, unknown> | undefined,
      });
      try {
        for await (const result of results) {
          const errors = result.errors ?? [];
          if (errors.length > 0 || result.data == null)
            throw new GraphQLResponseError(
              `the subscription's event had errors: ${errors[0]?.message ?? 'no data'}`,
              200,
              errors,
              result.data,
            );
          yield result.data;
        }
      } catch (err) {
        if (err instanceof GraphQLResponseError) throw err;
        if (isErrors(err))
          throw new GraphQLResponseError(`the API refused the subscription: ${err[0]?.message}`, 200, err, undefined);
        const close = err as { code?: unknown; reason?: unknown };
        if (typeof close.code === 'number')
          throw new Error(
            `the API closed the connection: ${close.code} ${typeof close.reason === 'string' ? close.reason : ''}`.trim(),
          );
        throw err;
      }
    },
    dispose: async () => {
      await client.dispose();
    },
  };
}
