/**
 * The distance child: the delay proxies of bench/delayProxy.ts, one per hop, in a process of
 * their own, so that forwarding bytes takes no CPU from the emulator, the servers or the callers.
 */
import { startDelayProxy, type DelayProxy, type DelayProxyStats } from './delayProxy.ts';
import { serveCalls } from './rpc.ts';

const proxies = new Map<string, DelayProxy>();

serveCalls(
  {
    /** Starts the proxy called `name` in front of `target`; answers its URL. */
    async start(args: { name: string; target: string; rttMs: number }): Promise<{ url: string }> {
      if (proxies.has(args.name)) throw new Error(`proxy ${args.name} already runs`);
      const proxy = await startDelayProxy(args.target, args.rttMs);
      proxies.set(args.name, proxy);
      return { url: proxy.url };
    },
    setRtt(args: { name: string; rttMs: number }) {
      proxies.get(args.name)!.setRtt(args.rttMs);
    },
    /** Starts new timing windows on every proxy. */
    mark() {
      for (const p of proxies.values()) p.mark();
    },
    stats(): Record<string, DelayProxyStats> {
      return Object.fromEntries([...proxies].map(([name, p]) => [name, p.stats()]));
    },
  },
  async () => {
    await Promise.all([...proxies.values()].map((p) => p.close()));
  },
);
