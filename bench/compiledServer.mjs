/**
 * The server child of the memory benchmark, as deployed: the compiled build (dist/, from
 * `npm run build`) run by plain node, without tsx's loader, its transform caches and its
 * worker. It starts the API exactly as bench/serverProcess.ts does (server credentials in
 * the bench org, the production log level written to /dev/null) and answers the same
 * `start`, `memory` and `sample` calls over the same IPC protocol (bench/rpc.ts).
 */
import { openSync, writeSync } from 'node:fs';
import { loadConfig } from '../dist/config.js';
import { startServer } from '../dist/server.js';

let server;
let peakRss = 0;
let atPeak;
let sampler;

const handlers = {
  async start(args) {
    if (args.kind !== 'api') throw new Error(`the compiled server child runs the API only, not ${args.kind}`);
    const config = loadConfig({
      PORT: '0',
      PLATFORM_URL: args.emulatorUrl,
      STREAMING_URL: args.emulatorUrl,
      IMS_URL: args.emulatorUrl,
      IMS_CLIENT_ID: args.clientId,
      IMS_CLIENT_SECRET: 'bench-secret',
      IMS_ORG_ID: args.orgId,
      ALLOW_ANONYMOUS: 'true',
      READY_PROBE_INTERVAL_MS: '3600000',
      ...(args.maxObjectsInFlight === undefined ? {} : { MAX_OBJECTS_IN_FLIGHT: String(args.maxObjectsInFlight) }),
      ...args.env,
    });
    const devNull = openSync('/dev/null', 'w');
    server = await startServer(config, { logDestination: { write: (line) => writeSync(devNull, line) } });
    return { url: server.url };
  },
  memory(args) {
    if (args.gc === true) globalThis.gc?.();
    const m = process.memoryUsage();
    return { ...m, peakRss: Math.max(peakRss, m.rss), atPeak };
  },
  sample(args) {
    clearInterval(sampler);
    sampler = undefined;
    peakRss = process.memoryUsage.rss();
    atPeak = undefined;
    if (args.intervalMs > 0) {
      sampler = setInterval(() => {
        const rss = process.memoryUsage.rss();
        if (rss > peakRss) {
          peakRss = rss;
          atPeak = process.memoryUsage();
        }
      }, args.intervalMs);
      sampler.unref();
    }
  },
};

const exit = () => {
  void Promise.resolve(server?.stop()).finally(() => process.exit(0));
};
process.on('message', (msg) => {
  if (msg.op === '__exit') return exit();
  const handler = handlers[msg.op];
  Promise.resolve()
    .then(() => {
      if (handler === undefined) throw new Error(`no operation ${msg.op}`);
      return handler(msg.args);
    })
    .then(
      (result) => process.send({ id: msg.id, result }),
      (err) => process.send({ id: msg.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
});
process.once('disconnect', exit);
process.send('ready');
