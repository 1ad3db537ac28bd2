import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOC_ORG, startTestEmulator, type TestEmulator } from './emulatorHarness.ts';

const CONNECTIONS = '/data/foundation/flowservice/connections';
const s3Connection = (name: string) => ({
  name,
  auth: { specName: 'Access Key', params: { s3AccessKey: 'AKIA', s3SecretKey: 'secret' } },
  connectionSpec: { id: 'ecadc60c-7455-4d87-84dc-2a0e293d997b', version: '1.0' },
});

let dir: string;
let file: string;
let running: TestEmulator[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-state-'));
  file = join(dir, 'state.json');
});
afterEach(async () => {
  await Promise.all(running.map((t) => t.stop()));
  running = [];
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<TestEmulator> {
  const t = await startTestEmulator({ dataFile: file });
  running.push(t);
  return t;
}

async function stop(t: TestEmulator): Promise<void> {
  running = running.filter((x) => x !== t);
  await t.stop();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('persistence', () => {
  it('shows the same data after a restart with the same data file', async () => {
    const first = await start();
    const call = await first.platform();
    const created = await call('POST', CONNECTIONS, { body: s3Connection('kept') });
    expect(created.status).toBe(201);
    const before = (await call('GET', `${CONNECTIONS}/${created.body.id}`)).body;
    await stop(first);

    const second = await start();
    const again = await second.platform();
    const after = await again('GET', `${CONNECTIONS}/${created.body.id}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before);
    expect((await again('GET', CONNECTIONS, { query: { count: 'true' } })).body).toEqual({ count: 1 });
  });

  it('writes a valid JSON file shortly after each change, without waiting for stop', async () => {
    const t = await start();
    const call = await t.platform();
    await call('POST', CONNECTIONS, { body: s3Connection('one') });
    await sleep(150);
    const state = JSON.parse(readFileSync(file, 'utf8'));
    expect(state.format).toBe('ingestion-graph-emulator/1');
    const part = state.partitions.find((p: any) => p.org === DOC_ORG && p.sandbox === 'prod');
    expect(part.resources.connections).toHaveLength(1);
  });

  it('replaces the file by rename on every save and leaves no temporary file behind', async () => {
    const t = await start();
    const call = await t.platform();
    await call('POST', CONNECTIONS, { body: s3Connection('one') });
    await sleep(150);
    const firstInode = statSync(file).ino;
    await call('POST', CONNECTIONS, { body: s3Connection('two') });
    await sleep(150);
    expect(statSync(file).ino).not.toBe(firstInode);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('ignores a *.tmp leftover of an interrupted save', async () => {
    const first = await start();
    const call = await first.platform();
    const created = await call('POST', CONNECTIONS, { body: s3Connection('kept') });
    await stop(first);
    writeFileSync(`${file}.12345.tmp`, '{"format":"ingestion-graph-emulator/1","partitions":[{"org":');

    const second = await start();
    const again = await second.platform();
    expect((await again('GET', `${CONNECTIONS}/${created.body.id}`)).status).toBe(200);
  });

  it('leaves a loadable file when the emulator process is killed in the middle of writes', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/emulator/main.ts', '--port', '0', '--no-demo', '--data', file],
      {
        cwd: join(import.meta.dirname, '../..'),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match !== null) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
      });
      const tokenRes = await fetch(`${url}/ims/token/v3`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'kill-test',
          client_secret: 's',
          scope: 'openid',
        }),
      });
      const { access_token } = (await tokenRes.json()) as { access_token: string };
      const headers = {
        authorization: `Bearer ${access_token}`,
        'x-api-key': 'kill-test',
        'x-gw-ims-org-id': DOC_ORG,
        'x-sandbox-name': 'prod',
        'content-type': 'application/json',
      };
      let created = 0;
      const writer = (async () => {
        for (;;) {
          const res = await fetch(`${url}${CONNECTIONS}`, {
            method: 'POST',
            headers,
            body: JSON.stringify(s3Connection(`c${created}`)),
          }).catch(() => undefined);
          if (res === undefined) return;
          if (res.status === 201) created++;
        }
      })();
      await sleep(600);
      child.kill('SIGKILL');
      await writer;
      expect(created).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
    }

    const state = JSON.parse(readFileSync(file, 'utf8'));
    expect(state.format).toBe('ingestion-graph-emulator/1');
    const t = await start();
    const call = await t.platform();
    const count = (await call('GET', CONNECTIONS, { query: { count: 'true' } })).body.count;
    expect(count).toBeGreaterThan(0);
  });
});
