import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const MAIN = new URL('../src/main.ts', import.meta.url).pathname;
// by URL, so that a child whose working directory is outside the project still finds it
const TSX = new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

const started: Array<{
  kill(signal: NodeJS.Signals): boolean;
  exitCode: number | null;
  signalCode: NodeJS.Signals | null;
}> = [];

const dirs: string[] = [];

// a process a failed test left running must not outlive the run
afterEach(() => {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm start`'s entry point with an environment of its own, in `cwd` (default: an empty directory). */
function startMain(env: Record<string, string>, cwd = emptyDirectory()) {
  // node itself, with tsx's loader: the child is the server process, so a kill reaches it
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    // no grace period unless a test asks for one: SIGTERM then drains at once
    env: { ...process.env, NODE_ENV: 'production', SHUTDOWN_GRACE_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, output: () => out, errors: () => err, exitCode: () => child.exitCode };
}

function emptyDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'main-cwd-'));
  dirs.push(dir);
  return dir;
}

/** The JSON log lines printed so far (stdout is a pipe, not a terminal: one JSON object a line). */
function logLines(main: ReturnType<typeof startMain>): Array<Record<string, any>> {
  return main
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, any>);
}

/** Resolves with the first log line whose `event` is `event`; rejects if the server exits first. */
function waitForEvent(main: ReturnType<typeof startMain>, event: string): Promise<Record<string, any>> {
  const find = () => logLines(main).find((line) => line.event === event);
  const found = find();
  if (found !== undefined) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const onData = () => {
      // a line may arrive in pieces: only whole lines are parsed
      if (!main.output().endsWith('\n')) return;
      const line = find();
      if (line === undefined) return;
      main.child.stdout.off('data', onData);
      resolve(line);
    };
    main.child.stdout.on('data', onData);
    main.exited.then(
      () => reject(new Error(`the server exited before logging its ${event}: ${main.errors()}`)),
      reject,
    );
  });
}

describe('the entry point', () => {
  it('serves the API over the embedded emulator, then drains and exits 0 on SIGTERM', async () => {
    const main = startMain({ PORT: '0', EMULATOR_PORT: '0', EMULATOR_DEMO: 'false' });
    const start = await waitForEvent(main, 'start');
    const url = start.url as string;
    expect(start).toMatchObject({
      level: 'info',
      emulator: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) },
    });
    expect(start.msg).toMatch(/^GraphQL API on http:\/\/\S+\/graphql over the Platform emulator on http:/);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ flows { totalCount } }' }),
    });
    expect(await res.json()).toEqual({ data: { flows: { totalCount: 0 } } });
    const ready = await fetch(url.replace('/graphql', '/ready'));
    expect(ready.status).toBe(200);
    main.child.kill('SIGTERM');
    const [code] = await main.exited;
    expect(code).toBe(0);
    // one line to start (and one for the explorer), one to stop, one for the operation in between
    expect(logLines(main).map((line) => line.event)).toEqual(['start', 'explorer', 'operation', 'signal', 'stop']);
  });

  it('answers 503 on /ready during the grace period after SIGTERM while it still serves GraphQL, then drains and exits 0', async () => {
    // a grace period no test outlives: the second SIGTERM ends it
    const main = startMain({ PORT: '0', EMULATOR_PORT: '0', EMULATOR_DEMO: 'false', SHUTDOWN_GRACE_MS: '3600000' });
    const { url } = (await waitForEvent(main, 'start')) as { url: string };
    const readyUrl = url.replace('/graphql', '/ready');
    expect((await fetch(readyUrl)).status).toBe(200);
    main.child.kill('SIGTERM');
    await waitForEvent(main, 'signal');
    const ready = await fetch(readyUrl);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'draining' });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ flows { totalCount } }' }),
    });
    expect(await res.json()).toEqual({ data: { flows: { totalCount: 0 } } });
    expect((await fetch(url.replace('/graphql', '/health'))).status).toBe(200);
    expect(main.exitCode()).toBeNull();
    main.child.kill('SIGTERM');
    const [code] = await main.exited;
    expect(code).toBe(0);
  });

  it('refuses a bad configuration with one message naming every bad variable, exit code 2', async () => {
    const main = startMain({
      PORT: 'eighty',
      EMULATOR_TIME_SCALE: '-1',
      ALLOW_ANONYMOUS: 'maybe',
      EMULATOR_REQUEST_LOG_SIZE: '0',
      HEAP_GROWING_PERCENT: '-5',
    });
    const [code] = await main.exited;
    expect(code).toBe(2);
    expect(main.errors()).toContain('PORT="eighty"');
    expect(main.errors()).toContain('EMULATOR_TIME_SCALE="-1"');
    expect(main.errors()).toContain('ALLOW_ANONYMOUS="maybe"');
    expect(main.errors()).toContain('EMULATOR_REQUEST_LOG_SIZE="0"');
    expect(main.errors()).toContain('HEAP_GROWING_PERCENT="-5"');
  });

  it('reads a .env in its working directory for what the environment leaves unset; the environment wins', async () => {
    const cwd = emptyDirectory();
    // were the .env's ports used, the configuration would be refused
    writeFileSync(
      join(cwd, '.env'),
      ['PORT=eighty', 'EMULATOR_PORT=eighty', 'EMULATOR_DEMO=false', 'EMULATOR_REQUEST_LOG_SIZE=2', ''].join('\n'),
    );
    const main = startMain({ PORT: '0', EMULATOR_PORT: '0' }, cwd);
    const start = await waitForEvent(main, 'start');
    const dotenv = await waitForEvent(main, 'dotenv');
    expect(dotenv.msg).toBe('Read .env (4 variables; the environment wins over it)');
    expect(start.emulator).toMatchObject({ demo: false });
    const emulatorUrl = start.emulator.url as string;
    const state = (await (await fetch(`${emulatorUrl}/__emulator/state`)).json()) as { requestLog: unknown };
    expect(state.requestLog).toMatchObject({ capacity: 2 });
    main.child.kill('SIGTERM');
    expect((await main.exited)[0]).toBe(0);
  });

  it('asks for every credential when pointed at a real Platform, without echoing secrets', async () => {
    const main = startMain({ PLATFORM_URL: 'https://platform.example', IMS_CLIENT_SECRET: 'do-not-print-me' });
    const [code] = await main.exited;
    expect(code).toBe(2);
    for (const name of ['IMS_CLIENT_ID', 'IMS_ORG_ID', 'IMS_URL', 'STREAMING_URL'])
      expect(main.errors()).toContain(name);
    expect(main.errors()).not.toContain('do-not-print-me');
  });
});
