/**
 * Section 1b's figure for two checkouts side by side: `npx tsx bench/cpuPair.ts OTHER
 * [--rounds N] [--node-args '<flags>'] [--api-env '<json>']` runs the API of the checkout at OTHER (main, say, in a worktree of its own
 * with its node_modules) and the API of this one, each in its own child process, against one
 * emulator, and alternates batches of 10 dashboard pages of 100 flows between them (N rounds,
 * default 40, the order flipped every round). Each batch's CPU is read in its own server
 * (`process.cpuUsage()`, user + system), so a load that changes during the run weighs on both
 * alike; the figure is the median of the per-round ratios this / OTHER. The two checkouts
 * must read the same upstream requests per page (checked) and answer the same. `--node-args`
 * gives this checkout's server further node (V8) flags, `--api-env` further configuration
 * (`'{"HEAP_GROWING_PERCENT":"75"}'`; as in src/main.ts, a `--heap-growing-percent` among the
 * flags is kept unless the configuration sets it): OTHER may be this same checkout, for an A/B
 * of the flags or settings alone.
 */
import { Pool } from 'undici';
import { startEmulator } from '../src/emulator/server.ts';
import type * as ConfigModule from '../src/config.ts';
import type * as ServerModule from '../src/server.ts';
import type * as HeapModule from '../src/heap.ts';
import { BENCH_CLIENT_ID, BENCH_ORG, seedBenchOrg } from './benchOrg.ts';
import { benchApiEnv, serveCalls } from './childSide.mjs';
import { DASHBOARD_QUERY } from './dashboard.ts';
import { startChild, type Child } from './rpc.ts';
import { summarize } from './stats.ts';
import { JIT_WARMUP_PAGES } from './warmup.ts';

const PAGES_PER_BATCH = 10;

const argAfter = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};

/** The child: the API of the checkout at `CPU_PAIR_TREE`, logging to nowhere. */
async function serve(): Promise<void> {
  const tree = process.env['CPU_PAIR_TREE']!;
  const { loadConfig } = (await import(`${tree}/src/config.ts`)) as typeof ConfigModule;
  const { startServer } = (await import(`${tree}/src/server.ts`)) as typeof ServerModule;
  let server: ServerModule.RunningServer | undefined;
  serveCalls(
    {
      async start(args: { emulatorUrl: string; env: Record<string, string> }) {
        const env = benchApiEnv({
          emulatorUrl: args.emulatorUrl,
          orgId: BENCH_ORG,
          clientId: BENCH_CLIENT_ID,
          env: args.env,
        });
        const config = loadConfig(env);
        // as the checkout's entry point does before it serves, where it sets V8's heap growth
        const heap = (await import(`${tree}/src/heap.ts`).catch(() => undefined)) as
          Partial<typeof HeapModule> | undefined;
        // (a checkout from before configureHeapGrowth has applyHeapGrowth only)
        if (heap?.configureHeapGrowth !== undefined) heap.configureHeapGrowth(config.heapGrowingPercent, env);
        else heap?.applyHeapGrowth?.(config.heapGrowingPercent);
        server = await startServer(config, { logDestination: { write: () => undefined } });
        return { url: server.url };
      },
      cpu: () => process.cpuUsage(),
    },
    async () => {
      await server?.stop();
    },
  );
}

interface Side {
  name: string;
  child: Child;
  pool: Pool;
  path: string;
  cpu: number[];
}

async function compare(
  other: string,
  rounds: number,
  nodeArgs: string[],
  apiEnv: Record<string, string>,
): Promise<void> {
  const here = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
  const emulator = await startEmulator({ runScheduler: false, log: { warn: () => undefined, error: () => undefined } });
  await seedBenchOrg(emulator.url, { flows: 150 });
  const sides: Side[] = [];
  const trees: Array<[string, string[], Record<string, string>]> = [
    [other, [], {}],
    [here, nodeArgs, apiEnv],
  ];
  for (const [tree, execArgv, env] of trees) {
    const child = await startChild(new URL(import.meta.url), 'server', { env: { CPU_PAIR_TREE: tree }, execArgv });
    const { url } = await child.call<{ url: string }>('start', { emulatorUrl: emulator.url, env });
    const u = new URL(url);
    sides.push({ name: tree, child, pool: new Pool(u.origin, { connections: 1 }), path: u.pathname, cpu: [] });
  }
  const body = JSON.stringify({ query: DASHBOARD_QUERY, variables: { first: 100, after: null } });
  const page = async (s: Side) => {
    const res = await s.pool.request({
      method: 'POST',
      path: s.path,
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200 || text.includes('"errors"')) throw new Error(`${s.name}: ${text.slice(0, 300)}`);
  };
  const upstreamPerPage = async (s: Side) => {
    await fetch(`${emulator.url}/__emulator/requests`, { method: 'DELETE' });
    await page(s);
    const log = (await (await fetch(`${emulator.url}/__emulator/requests`)).json()) as unknown[];
    return log.length;
  };
  try {
    for (const s of sides) for (let i = 0; i < JIT_WARMUP_PAGES; i++) await page(s);
    const requests: number[] = [];
    for (const s of sides) requests.push(await upstreamPerPage(s));
    if (requests[0] !== requests[1]) throw new Error(`upstream requests per page differ: ${requests.join(' vs ')}`);
    for (let r = 0; r < rounds; r++) {
      for (const s of r % 2 === 0 ? sides : [...sides].reverse()) {
        const before = await s.child.call<NodeJS.CpuUsage>('cpu');
        for (let i = 0; i < PAGES_PER_BATCH; i++) await page(s);
        const after = await s.child.call<NodeJS.CpuUsage>('cpu');
        s.cpu.push((after.user + after.system - before.user - before.system) / 1000 / PAGES_PER_BATCH);
      }
    }
    for (const s of sides) {
      const m = summarize(s.cpu);
      console.log(
        `${s.name}: server CPU ${m.median.toFixed(2)} ms/page (median; batches ${m.min.toFixed(2)}-${m.max.toFixed(2)})`,
      );
    }
    const ratios = summarize(sides[1]!.cpu.map((x, i) => x / sides[0]!.cpu[i]!));
    console.log(
      `${here}${nodeArgs.length > 0 ? ` (${nodeArgs.join(' ')})` : ''}${Object.keys(apiEnv).length > 0 ? ` (${JSON.stringify(apiEnv)})` : ''} / ${other}: ${ratios.median.toFixed(3)} (median of ${rounds} paired batches), ${requests[0]} upstream requests per page, load average ${(
        await import('node:os')
      )
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    for (const s of sides) {
      await s.pool.close();
      await s.child.stop();
    }
    await emulator.stop();
  }
}

if (process.argv.includes('--role=server')) await serve();
else {
  const other = process.argv[2];
  if (other === undefined || other.startsWith('--'))
    throw new Error("usage: npx tsx bench/cpuPair.ts OTHER [--rounds N] [--node-args '<flags>'] [--api-env '<json>']");
  const nodeArgs = (argAfter('--node-args') ?? '').split(' ').filter((a) => a !== '');
  const apiEnv = JSON.parse(argAfter('--api-env') ?? '{}') as Record<string, string>;
  await compare(other.replace(/\/$/, ''), Number(argAfter('--rounds') ?? 40), nodeArgs, apiEnv);
}
