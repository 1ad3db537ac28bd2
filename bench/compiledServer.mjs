/**
 * The server child of the memory benchmark, as deployed: the compiled build (dist/, from
 * `npm run build`) run by plain node, without tsx's loader, its transform caches and its
 * worker. It starts the API exactly as bench/serverProcess.ts does (server credentials in
 * the bench org, the production log level written to /dev/null) and answers the same
 * `start`, `memory` and `sample` calls over the same IPC protocol, with the same code
 * (bench/childSide.mjs), and sets V8's heap growth from the configuration as dist/main.js does.
 */
import { openSync, writeSync } from 'node:fs';
import { loadConfig } from '../dist/config.js';
import { configureHeapGrowth } from '../dist/heap.js';
import { startServer } from '../dist/server.js';
import { benchApiEnv, memoryHandlers, serveCalls } from './childSide.mjs';

let server;

const handlers = {
  async start(args) {
    if (args.kind !== 'api') throw new Error(`the compiled server child runs the API only, not ${args.kind}`);
    const env = benchApiEnv(args);
    const config = loadConfig(env);
    // as dist/main.js does before it serves
    configureHeapGrowth(config.heapGrowingPercent, env);
    const devNull = openSync('/dev/null', 'w');
    server = await startServer(config, { logDestination: { write: (line) => writeSync(devNull, line) } });
    return { url: server.url };
  },
  ...memoryHandlers,
};

serveCalls(handlers, async () => {
  await server?.stop();
});
