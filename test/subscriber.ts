import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client subscribed to one operation; results are read in order with `next()`. */
export interface Subscriber {
  client: Client;
  /** The next result (waits for it); rejects when the subscription ended with an error. */
  next(): Promise<FormattedExecutionResult<any, unknown>>;
  close(): Promise<void>;
}

/** The WebSocket URL of an API's `http://.../graphql`. */
export const wsUrl = (httpUrl: string): string => httpUrl.replace(/^http/, 'ws');

export function connect(apiUrl: string, headers: Record<string, string> = {}): Client {
  return createClient({
    url: wsUrl(apiUrl),
    webSocketImpl: WebSocket,
    connectionParams: headers,
    retryAttempts: 0,
    lazy: true,
  });
}

export function subscribe(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Omit<Subscriber, 'client'> & { client: Client } {
  const iterator = client.iterate<any>({ query, variables });
  return {
    client,
    next: async () => {
      const step = await iterator.next();
      if (step.done === true) throw new Error('the subscription completed');
      return step.value;
    },
    close: async () => {
      await iterator.return?.();
      await client.dispose();
    },
  };
}
