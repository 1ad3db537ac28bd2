import { Repeater } from '@repeaterjs/repeater';
import { execute, type ExecutionArgs, type GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { WebSocket } from 'ws';
import { eventContextKey, type Live } from './context.ts';
import type { LivePayload, LiveSource } from './graph/live/liveStream.ts';
import type { RunFinishedEvent } from './live/runEvents.ts';

export interface FanOutOptions {
  live: Live;
  /** The errors of an answer as the client gets them. */
  format: (errors: readonly GraphQLError[]) => GraphQLFormattedError[];
}

/** One subscription: where its answers go. */
interface Member {
  socket: WebSocket;
  /** `{"id":"…","type":"next","payload":`, encoded: the one part of a `next` frame that is this subscription's own. */
  head: Buffer;
  source: LiveSource;
  stop: (err?: unknown) => void;
  dropped: number;
}

/**
 * The subscriptions of one tenant, document, operation, variables and credentials on this
 * replica: they get the same answer to every event, so each event is handled, executed and
 * serialised once for all of them.
 */
interface Group {
  /** The first member's: its document, operation and variables are every member's. */
  args: ExecutionArgs;
  source: LiveSource;
  members: Set<Member>;
  dropped: number;
  /** Events received and not yet written, in order of arrival. */
  queue: Pending[];
  /** Where a stateful handler's events are answered one after another. */
  chain: Promise<void>;
  unlisten: () => void;
}

/** One serialised answer and the subscriptions it goes to. */
interface Answer {
  payload: Buffer;
  to: Member[];
}

/** An event of a group on its way: its answers once done, or why it has none. */
interface Pending {
  done: boolean;
  answers: Answer[];
  error: unknown;
  /** The members when the event came. */
  members: Member[];
}

/** The TCP socket under a ws WebSocket. */
interface Corkable {
  cork(): void;
  uncork(): void;
}

const TAIL = Buffer.from('}');
const TEXT = { binary: false } as const;
const OPEN = 1;

/**
 * Writes subscription answers to sockets, bypassing graphql-ws's per-subscription `next`
 * (an async iterator, a hook, a JSON.stringify and a promise per message and socket): for
 * each event, subscriptions that share a tenant, a document with its variables and the same
 * credentials (`eventContextKey`) share one call of the field's handler (when the handler says
 * its value is `shared`), one execution and one serialised payload; each socket then gets that
 * payload behind its own subscription id, written at once. Sharing stops at the credentials:
 * two callers never share a context, a read or an answer, so linked fields resolve with each
 * subscriber's own credentials and a subscriber only hears its own tenant's events.
 *
 * graphql-ws still runs the protocol (init, ack, subscribe, complete, errors, ping): what
 * `subscribe` answers is an iterator that yields nothing and ends when the subscription does.
 */
export class SubscriptionFanOut {
  readonly #groups = new Map<string, Group>();

  constructor(private readonly options: FanOutOptions) {}

  /** Distinct (tenant, document, variables, credentials) being served now. */
  get groups(): number {
    return this.#groups.size;
  }

  /**
   * Serves `source`'s events to `socket` as subscription `id`. `text` is the document,
   * operation and variables; the answer ends with an error when the subscriber's
   * credentials no longer verify, and is returned (graphql-ws does on `complete` or close)
   * to unsubscribe.
   */
  add(
    args: ExecutionArgs,
    text: string,
    source: LiveSource,
    socket: WebSocket,
    id: string,
  ): AsyncIterableIterator<never> {
    const { credentials } = source.context;
    const key = JSON.stringify([credentials.orgId, credentials.sandbox, eventContextKey(credentials), text]);
    return new Repeater<never>(async (_push, stop) => {
      const prepare = source.options.prepare;
      if (prepare !== undefined) {
        const prepared = await Promise.race([prepare().then(() => true), stop.then(() => false)]);
        if (!prepared) return;
      }
      const member: Member = {
        socket,
        head: Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`),
        source,
        stop,
        dropped: 0,
      };
      const leave = this.#join(key, args, member);
      await stop;
      leave();
    });
  }

  #join(key: string, args: ExecutionArgs, member: Member): () => void {
    const { live } = this.options;
    let group = this.#groups.get(key);
    if (group === undefined) {
      const { credentials } = member.source.context;
      const created: Group = {
        args,
        source: member.source,
        members: new Set(),
        dropped: 0,
        queue: [],
        chain: Promise.resolve(),
        unlisten: () => undefined,
      };
      created.unlisten = live.hub.listen({ org: credentials.orgId, sandbox: credentials.sandbox }, (event) =>
        this.#arrive(created, event),
      );
      this.#groups.set(key, (group = created));
    }
    const joined = group;
    joined.members.add(member);
    const leaveHub = live.hub.join(member.source.context.credentials);
    return () => {
      leaveHub();
      joined.members.delete(member);
      if (joined.members.size > 0) return;
      joined.unlisten();
      if (this.#groups.get(key) === joined) this.#groups.delete(key);
    };
  }

  #arrive(group: Group, event: RunFinishedEvent): void {
    const { live } = this.options;
    if (group.queue.length >= live.bufferSize) {
      if (group.dropped++ === 0)
        live.warn(
          `subscribers of ${event.org}/${event.sandbox} fall behind: events dropped (SUBSCRIPTION_BUFFER_SIZE)`,
        );
      return;
    }
    // those subscribed when the event came; one that leaves meanwhile is skipped at the write
    const members = [...group.members];
    const item: Pending = { done: false, answers: [], error: undefined, members };
    group.queue.push(item);
    const settle = (answers: Answer[] | undefined, error: unknown) => {
      item.done = true;
      item.answers = answers ?? [];
      item.error = error;
      this.#flush(group);
    };
    const answer = () =>
      this.#answer(group, event, members).then(
        (answers) => settle(answers, undefined),
        (err: unknown) => settle(undefined, err ?? new Error('the event could not be answered')),
      );
    // a shared handler answers events at once, concurrently (their reads batch together); one that
    // keeps state answers them one after another; answers are written in order either way
    if (group.source.options.shared) void answer();
    else group.chain = group.chain.then(answer);
  }

  /**
   * Writes the answers ready at the head of the queue, in order. When several are ready at
   * once (the replica fell behind), each socket gets all of its frames in one write.
   */
  #flush(group: Group): void {
    let ready = 0;
    while (ready < group.queue.length && group.queue[ready]!.done) ready++;
    if (ready === 0) return;
    const batch = group.queue.splice(0, ready);
    const corked = ready > 1 ? new Set<Corkable>() : undefined;
    for (const item of batch) {
      if (item.error !== undefined) {
        for (const m of item.members) m.stop(item.error);
        continue;
      }
      for (const { payload, to } of item.answers) for (const m of to) this.#write(group, m, payload, corked);
    }
    if (corked !== undefined) for (const socket of corked) socket.uncork();
  }

  async #answer(group: Group, event: RunFinishedEvent, members: Member[]): Promise<Answer[]> {
    // the subscribers' credentials, confirmed again: a revoked token ends every subscription on it
    const context = await this.options.live.eventContext(event, group.source.context.credentials);
    if (group.source.options.shared) {
      const value = await handled(group.source, event, context);
      if (value === undefined) return [];
      return [{ payload: await this.#serialise(group.args, { context, value }), to: members }];
    }
    // each subscription's own handler (it keeps state); equal values still share one execution
    const values = await Promise.all(members.map((m) => handled(m.source, event, context)));
    const byValue = new Map<unknown, Member[]>();
    for (const [i, value] of values.entries()) {
      if (value === undefined) continue;
      const to = byValue.get(value);
      if (to === undefined) byValue.set(value, [members[i]!]);
      else to.push(members[i]!);
    }
    return Promise.all(
      [...byValue].map(async ([value, to]) => ({ payload: await this.#serialise(group.args, { context, value }), to })),
    );
  }

  async #serialise(args: ExecutionArgs, payload: LivePayload): Promise<Buffer> {
    const result = await execute({ ...args, rootValue: payload, contextValue: payload.context });
    const answer = result.errors === undefined ? result : { ...result, errors: this.options.format(result.errors) };
    return Buffer.from(JSON.stringify(answer));
  }

  #write(group: Group, m: Member, payload: Buffer, corked?: Set<Corkable>): void {
    if (!group.members.has(m) || m.socket.readyState !== OPEN) return;
    if (m.socket.bufferedAmount > this.options.live.socketBufferBytes) {
      if (m.dropped++ === 0)
        this.options.live.warn(
          `a subscriber's socket holds over ${this.options.live.socketBufferBytes} bytes unsent: its events are dropped until it drains (SUBSCRIPTION_SOCKET_BUFFER_BYTES)`,
        );
      return;
    }
    if (corked !== undefined) {
      // ws keeps the TCP socket to itself; corked here, this socket's frames of the batch leave in one writev
      const tcp = (m.socket as unknown as { _socket?: Corkable })._socket;
      if (tcp !== undefined && !corked.has(tcp)) {
        tcp.cork();
        corked.add(tcp);
      }
    }
    m.socket.send(Buffer.concat([m.head, payload, TAIL], m.head.length + payload.length + 1), TEXT);
  }
}

async function handled(source: LiveSource, event: RunFinishedEvent, context: LivePayload['context']): Promise<unknown> {
  try {
    return await source.handle(event, context);
  } catch (err) {
    // the value of that event: the subscriber gets an error for it and the subscription goes on
    return err instanceof Error ? err : new Error(String(err));
  }
}
