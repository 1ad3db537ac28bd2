import { Repeater } from '@repeaterjs/repeater';
import type { Context } from '../../context.ts';
import type { RunFinishedEvent } from '../../live/runEvents.ts';

/** What one event of a subscription executes with: its own context, and the field's value (or why it has none). */
export interface LivePayload {
  context: Context;
  value: unknown;
}

/** How a subscription turns an event into its value; undefined: not for this subscriber. */
export type EventHandler = (event: RunFinishedEvent, context: Context) => Promise<unknown>;

/**
 * The events of the subscriber's tenant as payloads, one at a time and in order, from the
 * moment `prepare` (when given) has finished: only then is the subscriber registered. At most `bufferSize` events wait;
 * past that the newest are dropped (and a line logged). A handler's failure is the value of that
 * event (the subscriber gets an error for it and the subscription goes on); a failure to
 * confirm the subscriber ends the subscription with that error. Returning from the iterator
 * unsubscribes at once, even while no event comes.
 */
export function liveStream(
  ctx: Context,
  handle: EventHandler,
  prepare?: () => Promise<void>,
): AsyncIterableIterator<LivePayload> {
  const live = ctx.live;
  if (live === undefined) throw new Error('subscriptions are served over WebSocket only');
  return new Repeater<LivePayload>(async (push, stop) => {
    // the subscription starts once prepared: what it read then is what events are compared with
    const prepared = await Promise.race([(prepare?.() ?? Promise.resolve()).then(() => true), stop.then(() => false)]);
    if (!prepared) return;
    let chain = Promise.resolve();
    let waiting = 0;
    let dropped = 0;
    const close = live.hub.open(ctx.credentials, (event) => {
      if (waiting >= live.bufferSize) {
        if (dropped++ === 0)
          live.warn(
            `a subscriber of ${event.org}/${event.sandbox} falls behind: events dropped (SUBSCRIPTION_BUFFER_SIZE)`,
          );
        return;
      }
      waiting++;
      chain = chain
        .then(async () => {
          const context = await live.eventContext(event, ctx.credentials);
          let value: unknown;
          try {
            value = await handle(event, context);
          } catch (err) {
            value = err instanceof Error ? err : new Error(String(err));
          }
          if (value !== undefined) await push({ context, value });
        })
        .catch((err: unknown) => stop(err))
        .finally(() => waiting--);
    });
    await stop;
    close();
  });
}

/** The field's value of an event, as `resolve` answers it: the value its handler gave, of the field's type. */
export function payloadValue<T>(payload: LivePayload): T {
  if (payload.value instanceof Error) throw payload.value;
  return payload.value as T;
}
