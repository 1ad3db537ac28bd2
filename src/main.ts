import { setTimeout as sleep } from 'node:timers/promises';
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from './config.ts';
import { configureHeapGrowth } from './heap.ts';
import { startServer } from './server.ts';

// The only place that reads process.env and listens.
// A .env in the working directory (see .env.example) fills in what the environment leaves unset.
const dotenv = loadDotenv({ quiet: true });
if (dotenv.error !== undefined && dotenv.error.code !== 'ENOENT') {
  console.error(`Cannot read .env: ${dotenv.error.message}`);
  process.exit(2);
}
try {
  const config = loadConfig(process.env);
  configureHeapGrowth(config.heapGrowingPercent, process.env);
  // the server logs its start (the API's URL, the emulator's or the platform's) and its stop
  const server = await startServer(config);
  const { log } = server;
  if (dotenv.error === undefined)
    log.info(
      { event: 'dotenv', variables: Object.keys(dotenv.parsed ?? {}).length },
      `Read .env (${Object.keys(dotenv.parsed ?? {}).length} variables; the environment wins over it)`,
    );
  if (config.landingPage) {
    const origin = new URL(server.url).origin;
    log.info(
      { event: 'explorer', url: `${origin}/` },
      `Explorer: open ${origin}/ in a browser (Apollo Sandbox; offline, GraphiQL at ${origin}/graphiql)`,
    );
  }
  let stopping = false;
  const grace = new AbortController();
  const shutdown = (signal: string) => {
    // a second signal ends the grace period at once
    if (stopping) return grace.abort();
    stopping = true;
    server.drain();
    const graceMs = config.readiness.shutdownGraceMs;
    log.info(
      { event: 'signal', signal, graceMs },
      `${signal}: /ready answers 503; draining in ${graceMs} ms (${signal} again: now)`,
    );
    sleep(graceMs, undefined, { signal: grace.signal })
      .catch(() => undefined)
      .then(() => server.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(err instanceof ConfigError ? 2 : 1);
}
