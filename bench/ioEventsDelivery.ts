/**
 * I/O Events delivery: `npx tsx bench/ioEventsDelivery.ts [--runs 500] [--webhooks 1]`.
 *
 * The emulator and the API run in this process, wired as in a deployment (PLATFORM_URL,
 * IO_EVENTS_KEY_ORIGIN). `runs` on-demand runs of one org are settled at once; each webhook
 * (the API's `/webhooks/io-events`, registered `webhooks` times) gets every notification,
 * signed, one at a time, and the API verifies, de-duplicates and publishes it on its bus. The
 * figures: the time from the settle until the last publish, deliveries per second, the gap
 * between consecutive publishes (p50/p99: the cost of one delivery, sender and receiver
 * together, on one core), and the process's CPU time per delivery.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { startEmulator } from '../src/emulator/server.ts';
import { mapWithConcurrency } from '../src/mapWithConcurrency.ts';
import { startServer } from '../src/server.ts';
import { platform, seedFlows } from '../test/platform.ts';
import { percentile } from './stats.ts';

const ORG = 'BENCHIOEVENTS00000000000@AdobeOrg';
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '500' }, webhooks: { type: 'string', default: '1' } },
});
const runs = Number(values.runs);
const webhooks = Number(values.webhooks);

const emulator = await startEmulator({ runScheduler: false });
const api = await startServer(
  loadConfig({
    PORT: '0',
    PLATFORM_URL: emulator.url,
    STREAMING_URL: emulator.url,
    IMS_URL: emulator.url,
    IMS_CLIENT_ID: 'bench',
    IMS_CLIENT_SECRET: 'bench-secret',
    IMS_ORG_ID: ORG,
    IO_EVENTS_KEY_ORIGIN: emulator.url,
  }),
);
try {
  const control = (path: string, body: unknown) =>
    fetch(emulator.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const url = new URL('/webhooks/io-events', api.url).href;
  for (let i = 0; i < webhooks; i++) await control('/__emulator/webhooks', { url, clientId: 'bench' });
  const p = await platform(emulator.url, ORG);
  const { flows } = await seedFlows(p, {
    flows: 1,
    schemas: 1,
    baseConnections: 1,
    descriptionOf: () => '[emulator:succeed]',
  });
  const startTime = Math.floor(Date.now() / 1000);
  await mapWithConcurrency(Array.from({ length: runs }), 16, () =>
    p.call('POST', '/data/foundation/flowservice/runs', {
      flowId: flows[0]!.id,
      params: { startTime, windowStartTime: startTime - 3600, windowEndTime: startTime },
    }),
  );

  const published: number[] = [];
  const expected = runs;
  const all = new Promise<void>((resolve) => {
    api.runEvents.subscribe({ org: ORG, sandbox: 'prod' }, () => {
      published.push(performance.now());
      if (published.length === expected) resolve();
    });
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await control('/__emulator/runs/settle', { org: ORG });
  await all;
  await control('/__emulator/webhooks/wait', { timeoutMs: 30_000 });
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const deliveries = runs * webhooks;
  const gaps = Float64Array.from(published.slice(1).map((t, i) => t - published[i]!)).sort();
  const round = (n: number) => Math.round(n * 100) / 100;
  console.log(
    `I/O Events delivery, ${runs} runs × ${webhooks} webhook(s), ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}`,
  );
  console.log('| figure | value |');
  console.log('| --- | --- |');
  console.log(`| deliveries (signed, verified) | ${deliveries} |`);
  console.log(`| bus events (one per run) | ${published.length} |`);
  console.log(`| settle → last publish | ${Math.round(elapsed)} ms |`);
  console.log(`| deliveries/s | ${Math.round((deliveries / elapsed) * 1000)} |`);
  console.log(
    `| gap between publishes p50 / p99 | ${round(percentile(gaps, 50))} / ${round(percentile(gaps, 99))} ms |`,
  );
  console.log(`| CPU per delivery (emulator + API) | ${round((cpu.user + cpu.system) / 1000 / deliveries)} ms |`);
  console.log(`| public key fetches | ${api.ioEvents.keys.fetches} |`);
  console.log(`| duplicates absorbed | ${api.ioEvents.counts.duplicates} |`);
} finally {
  await api.stop();
  await emulator.stop();
}
