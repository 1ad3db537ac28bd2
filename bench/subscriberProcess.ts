/**
 * The subscriber child: many graphql-ws clients of one API, each with one subscription,
 * recording when each event arrives (wall clock, sub-millisecond, comparable with the
 * server child's publish times on the same machine).
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { serveCalls } from './rpc.ts';

interface Subscriber {
  client: Client;
  arrivals: number[];
  ids: string[];
  errors: number;
  stop: () => void;
}

let subscribers: Subscriber[] = [];

function closeAll(): void {
  for (const s of subscribers) {
    s.stop();
    void s.client.dispose();
  }
  subscribers = [];
}

serveCalls(
  {
    /** Opens `count` connections, each subscribing to `query` with `headers` as connection_init payload. */
    open(args: { url: string; count: number; query: string; headers?: Record<string, string> }) {
      for (let i = 0; i < args.count; i++) {
        const client = createClient({
          url: args.url.replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          connectionParams: args.headers ?? {},
          retryAttempts: 0,
          lazy: false,
        });
        const s: Subscriber = { client, arrivals: [], ids: [], errors: 0, stop: () => undefined };
        s.stop = client.subscribe<{ flowRunUpdated: { id: string } }>(
          { query: args.query },
          {
            next: (result) => {
              s.arrivals.push(performance.timeOrigin + performance.now());
              if (result.data?.flowRunUpdated) s.ids.push(result.data.flowRunUpdated.id);
              else s.errors++;
            },
            error: () => s.errors++,
            complete: () => undefined,
          },
        );
        subscribers.push(s);
      }
    },
    cpu() {
      return process.cpuUsage();
    },
    /** Events received so far, summed over the subscribers. */
    received(): number {
      return subscribers.reduce((n, s) => n + s.arrivals.length, 0);
    },
    /**
     * Latency of every delivery. A subscriber's deliveries are the published events in order,
     * less those dropped: each is matched with the next published event of its run id; one
     * with no such event after the last match counts as mismatched and not in the latencies.
     */
    latencies(args: { published: number[]; runIds: string[] }) {
      const all: number[] = [];
      let mismatched = 0;
      let errors = 0;
      for (const s of subscribers) {
        errors += s.errors;
        let from = 0;
        s.arrivals.forEach((at, k) => {
          const i = args.runIds.indexOf(s.ids[k]!, from);
          if (i < 0) mismatched++;
          else {
            all.push(at - args.published[i]!);
            from = i + 1;
          }
        });
      }
      // hundredths of a millisecond: the parent merges the children's and takes percentiles
      return { latencies: all.map((ms) => Math.round(ms * 100) / 100), mismatched, errors };
    },
    close() {
      closeAll();
    },
  },
  async () => closeAll(),
);
