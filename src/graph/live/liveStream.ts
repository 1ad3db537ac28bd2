import type { Context } from '../../context.ts';
import type { RunFinishedEvent } from '../../live/runEvents.ts';

/** What one event of a subscription executes with: its own context, and the field's value (or why it has none). */
export interface LivePayload {
  context: Context;
  value: unknown;
}

/** How a subscription turns an event into its value; undefined: not for this subscriber. */
export type EventHandler = (event: RunFinishedEvent, context: Context) => Promise<unknown>;

export interface LiveSourceOptions {
  /** Runs before the subscriber is registered: what it reads then is what events are compared with. */
  prepare?: () => Promise<void>;
  /**
   * True when the value depends only on the event, the event's context and the field's
   * arguments: subscriptions of one document, variables and credentials then share one call
   * of the handler and one execution per event. False for a handler that keeps state of its own.
   */
  shared: boolean;
}

/**
 * What a subscription field's `subscribe` answers: how the subscription's events become values.
 * The WebSocket server (src/subscriptionFanOut.ts) reads it: it registers the subscriber with
 * the live hub once `prepare` has finished, calls `handle` for each event of the subscriber's
 * tenant in that event's context, executes the document with the value and writes the answer to
 * the socket. It is an async iterable only because graphql-js wants one from `subscribe`; it
 * yields nothing itself.
 */
export class LiveSource implements AsyncIterableIterator<LivePayload> {
  constructor(
    /** The subscriber's context at subscription time: its credentials are the ones events resolve with. */
    readonly context: Context,
    readonly handle: EventHandler,
    readonly options: LiveSourceOptions,
  ) {}

  next(): Promise<IteratorResult<LivePayload>> {
    return Promise.reject(new Error('subscriptions are served over WebSocket only'));
  }

  return(): Promise<IteratorResult<LivePayload>> {
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** The events of the subscriber's tenant as values of `handle`; see LiveSource. */
export function liveStream(ctx: Context, handle: EventHandler, options: LiveSourceOptions): LiveSource {
  if (ctx.live === undefined) throw new Error('subscriptions are served over WebSocket only');
  return new LiveSource(ctx, handle, options);
}

/** The field's value of an event, as `resolve` answers it: the value its handler gave, of the field's type. */
export function payloadValue<T>(payload: LivePayload): T {
  if (payload.value instanceof Error) throw payload.value;
  return payload.value as T;
}
