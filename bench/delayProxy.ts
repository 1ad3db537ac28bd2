/**
 * A TCP proxy that puts distance on one hop: every chunk is forwarded half a round trip after
 * it arrived, in each direction, so one request and its answer over a kept-alive connection
 * cost one round trip (`rttMs`) more than on loopback. A new connection also pays the TCP
 * handshake it stands for: its first bytes leave the caller one round trip after the connect.
 * Chunks keep their order; bandwidth, loss and TLS are not modelled.
 */
import { createServer, connect, type Socket, type AddressInfo } from 'node:net';

/** When chunks of one direction arrived and were forwarded (ms, `performance.now()` of the proxy's process). */
export interface DirectionWindow {
  firstArrive: number;
  lastArrive: number;
  firstForward: number;
  lastForward: number;
}

export interface DelayProxyStats {
  /** Connections accepted since the proxy started. */
  connections: number;
  /** Bytes forwarded towards the target (requests) and back (answers). */
  bytesUp: number;
  bytesDown: number;
  /** Since the last `mark()`, over every connection: towards the target and back (NaN where nothing passed). */
  up: DirectionWindow;
  down: DirectionWindow;
}

export interface DelayProxy {
  /** `http://127.0.0.1:<port>`: the target's origin, farther away. */
  url: string;
  /** Changes the round trip for the chunks that arrive from now on (in order with those queued). */
  setRtt(rttMs: number): void;
  stats(): DelayProxyStats;
  /** Starts new windows of `stats().up` and `.down`. */
  mark(): void;
  close(): Promise<void>;
}

/**
 * Forwards `from` to `to`, each chunk at `sentAt(arrival) + oneWayMs()`, never before the
 * chunk ahead of it (timers: about 1 ms late at most).
 */
function delayedPipe(
  from: Socket,
  to: Socket,
  oneWayMs: () => number,
  sentAt: (now: number) => number,
  onForward: (bytes: number) => void,
  window: () => DirectionWindow,
): void {
  const queue: Array<{ at: number; chunk: Buffer }> = [];
  let timer: NodeJS.Timeout | undefined;
  let last = 0;
  let ended = false;
  const schedule = () => {
    timer = queue.length === 0 ? undefined : setTimeout(flush, Math.max(0, queue[0]!.at - performance.now()));
    if (timer === undefined && ended) to.end();
  };
  const flush = () => {
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.at <= now) {
      const { chunk } = queue.shift()!;
      onForward(chunk.length);
      const w = window();
      if (Number.isNaN(w.firstForward)) w.firstForward = now;
      w.lastForward = now;
      if (!to.destroyed) to.write(chunk);
    }
    schedule();
  };
  from.on('data', (chunk: Buffer) => {
    const now = performance.now();
    const w = window();
    if (Number.isNaN(w.firstArrive)) w.firstArrive = now;
    w.lastArrive = now;
    const at = Math.max(last, sentAt(now) + oneWayMs());
    last = at;
    queue.push({ at, chunk });
    // at 0 ms nothing waits for a timer (whose shortest wait is 1 ms)
    if (timer === undefined) (at <= now ? flush : schedule)();
  });
  from.on('end', () => {
    ended = true;
    if (timer === undefined) to.end();
  });
}

export async function startDelayProxy(target: string, rttMs: number): Promise<DelayProxy> {
  const { hostname, port } = new URL(target);
  let rtt = rttMs;
  const totals = { connections: 0, bytesUp: 0, bytesDown: 0 };
  const fresh = (): DirectionWindow => ({ firstArrive: NaN, lastArrive: NaN, firstForward: NaN, lastForward: NaN });
  let windows = { up: fresh(), down: fresh() };
  const open = new Set<Socket>();
  const server = createServer((client) => {
    totals.connections++;
    const acceptedAt = performance.now();
    // the handshake: a real caller could send its first byte only one round trip after connecting
    const handshakeRtt = rtt;
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      open.add(s);
      s.once('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    delayedPipe(
      client,
      upstream,
      () => rtt / 2,
      (now) => Math.max(now, acceptedAt + handshakeRtt),
      (n) => (totals.bytesUp += n),
      () => windows.up,
    );
    delayedPipe(
      upstream,
      client,
      () => rtt / 2,
      (now) => now,
      (n) => (totals.bytesDown += n),
      () => windows.down,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    setRtt(ms) {
      rtt = ms;
    },
    stats: () => ({ ...totals, up: { ...windows.up }, down: { ...windows.down } }),
    mark() {
      windows = { up: fresh(), down: fresh() };
    },
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
