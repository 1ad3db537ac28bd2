import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journalFileOf, recoverState } from '../../src/emulator/journal.ts';
import { Store } from '../../src/emulator/store.ts';
import { platform } from '../platform.ts';
import { DOC_ORG, startTestEmulator, type TestEmulator } from './emulatorHarness.ts';
import { createDataflowParts, createFlow, isFinished, runsOf } from './runs/dataflowFixture.ts';

const CONNECTIONS = '/data/foundation/flowservice/connections';
const s3Connection = (name: string) => ({
  name,
  auth: { specName: 'Access Key', params: { s3AccessKey: 'AKIA', s3SecretKey: 'secret' } },
  connectionSpec: { id: 'ecadc60c-7455-4d87-84dc-2a0e293d997b', version: '1.0' },
});

let dir: string;
let file: string;
let running: TestEmulator[] = [];
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-state-'));
  file = join(dir, 'state.json');
});
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(running.map((t) => t.stop()));
  running = [];
  rmSync(dir, { recursive: true, force: true });
});

async function start(dataFile = file, options: { journalCompactBytes?: number } = {}): Promise<TestEmulator> {
  const t = await startTestEmulator({ dataFile, ...options });
  running.push(t);
  return t;
}

async function stop(t: TestEmulator): Promise<void> {
  running = running.filter((x) => x !== t);
  await t.stop();
}

/** The store a crash right now would leave: the state file and its journal, replayed. */
function recovered(stateFile = file): Store {
  const store = new Store();
  recoverState(store, stateFile);
  return store;
}

const connectionIds = (store: Store): string[] => [...store.partition(DOC_ORG, 'prod').connections.keys()];

/** Copies the data files of a running emulator, as a crash at this moment would leave them. */
function crashImage(): string {
  const copy = join(dir, 'image');
  mkdirSync(copy);
  copyFileSync(file, join(copy, 'state.json'));
  copyFileSync(journalFileOf(file), journalFileOf(join(copy, 'state.json')));
  return join(copy, 'state.json');
}

/** `npm run emulator` as a process of its own, so it can be killed with SIGKILL. */
async function startProcess(flags: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/emulator/main.ts', '--port', '0', '--no-demo', '--data', file, ...flags],
    { cwd: join(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match !== null) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
  });
  return { child, url };
}

/**
 * Creates `count` connections, `concurrency` at a time; `onAck` sees each answered one.
 * Returns the ids of the writes answered 201; a write whose connection died is not answered.
 */
async function burst(
  url: string,
  count: number,
  concurrency: number,
  onAck: (acked: number) => void = () => {},
): Promise<string[]> {
  const headers = {
    ...(await platform(url, DOC_ORG, 'prod', 'kill-test')).headers,
    'content-type': 'application/json',
  };
  const acked: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const res = await fetch(`${url}${CONNECTIONS}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(s3Connection(`burst ${n}`)),
      }).catch(() => undefined);
      if (res === undefined) return;
      if (res.status !== 201) throw new Error(`write ${n} answered ${res.status}: ${await res.text()}`);
      acked.push(((await res.json()) as { id: string }).id);
      onAck(acked.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return acked;
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

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

  it('has every answered write in the journal by the time it is answered', async () => {
    const t = await start();
    const call = await t.platform();
    const created = await call('POST', CONNECTIONS, { body: s3Connection('one') });
    expect(created.status).toBe(201);
    const lines = readFileSync(journalFileOf(file), 'utf8').trim().split('\n');
    const changes = lines.flatMap((line) => (JSON.parse(line) as { changes: any[] }).changes);
    expect(changes).toContainEqual(
      expect.objectContaining({ op: 'set', kind: 'connections', id: created.body.id, org: DOC_ORG }),
    );
    expect(connectionIds(recovered())).toEqual([created.body.id]);
  });

  it('compacts the journal into the state file at stop and leaves no temporary file behind', async () => {
    const t = await start();
    const call = await t.platform();
    const created = await call('POST', CONNECTIONS, { body: s3Connection('one') });
    await stop(t);
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'state.json.journal']);
    expect(statSync(journalFileOf(file)).size).toBe(0);
    const state = JSON.parse(readFileSync(file, 'utf8'));
    expect(state.format).toBe('ingestion-graph-emulator/1');
    const part = state.partitions.find((p: any) => p.org === DOC_ORG && p.sandbox === 'prod');
    expect(part.resources.connections.map(([id]: [string]) => id)).toEqual([created.body.id]);
  });

  it('compacts into the state file once the journal passes its size limit', async () => {
    const t = await start(file, { journalCompactBytes: 1 });
    const call = await t.platform();
    const one = await call('POST', CONNECTIONS, { body: s3Connection('one') });
    // the writer compacts after the first write's record, before it syncs the second one
    const two = await call('POST', CONNECTIONS, { body: s3Connection('two') });
    const state = JSON.parse(readFileSync(file, 'utf8'));
    const part = state.partitions.find((p: any) => p.org === DOC_ORG && p.sandbox === 'prod');
    expect(part.resources.connections.map(([id]: [string]) => id)).toContain(one.body.id);
    expect(connectionIds(recovered())).toEqual([one.body.id, two.body.id]);
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'state.json.journal']);
  });

  it('replays to exactly the live state after runs, batches, versions, patches and deletes', async () => {
    const t = await start();
    const call = await t.platform();
    const control = (path: string, body: unknown) => t.raw('POST', path, { body });
    // a write: its answer means every change before it is in the journal
    const fence = async () =>
      expect((await call('POST', CONNECTIONS, { body: s3Connection('fence') })).status).toBe(201);
    const parts = await createDataflowParts(call);
    const startTime = Math.floor(t.emu.runtime.clock.now() / 1000) - 4 * 3600;
    const hourly = await createFlow(call, parts, { scheduleParams: { startTime, frequency: 'hour', interval: 1 } });
    const flow = await call('GET', `/data/foundation/flowservice/flows/${hourly.flowId}`);
    const patched = await call('PATCH', `/data/foundation/flowservice/flows/${hourly.flowId}`, {
      body: [{ op: 'replace', path: '/name', value: 'Renamed' }],
      headers: { 'if-match': flow.body.items[0].etag },
    });
    expect(patched.status).toBe(200);
    // each step below edits in place what an earlier journal record already holds:
    // finished runs write batches, a dataset's last batch and a flow's lastRunDetails
    expect((await control('/__emulator/runs/settle', {})).body.settled).toBeGreaterThan(0);
    const once = await createFlow(call, parts, { scheduleParams: { startTime, frequency: 'once' } });
    const onDemand = () =>
      call('POST', '/data/foundation/flowservice/runs', {
        body: {
          flowId: once.flowId,
          params: {
            startTime: String(startTime),
            windowStartTime: String(startTime - 3600),
            windowEndTime: String(startTime),
          },
        },
      });
    expect((await onDemand()).status).toBe(201);
    await fence();
    // the on-demand run moves along as emulated time passes, when runs are read
    expect((await control('/__emulator/clock', { advanceMs: 6 * 3600_000 })).status).toBe(200);
    expect((await runsOf(call, once.flowId)).every(isFinished)).toBe(true);
    expect((await onDemand()).status).toBe(201);
    await fence();
    // the second on-demand run, and the hourly flow's run of its newest slot since the clock moved
    expect((await control('/__emulator/runs/settle', {})).body.settled).toBe(2);
    const mappingPath = `/data/foundation/conversion/mappingSets/${parts.mappingId}`;
    const mapping = await call('GET', mappingPath);
    expect((await call('PUT', mappingPath, { body: mapping.body })).status).toBe(200);
    const batch = await call('POST', '/data/foundation/catalog/batches', { body: { datasetId: parts.dataSetId } });
    expect(batch.status).toBe(201);
    const doomed = await call('POST', CONNECTIONS, { body: s3Connection('doomed') });
    expect((await call('DELETE', `${CONNECTIONS}/${doomed.body.id}`)).status).toBe(204);
    await fence();

    const live = JSON.parse(JSON.stringify(t.emu.runtime.store.toJSON()));
    expect(JSON.parse(JSON.stringify(recovered(crashImage()).toJSON()))).toEqual(live);
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

  it('ignores a torn last journal record at start and keeps journalling after it', async () => {
    const t = await start();
    const call = await t.platform();
    const kept = await call('POST', CONNECTIONS, { body: s3Connection('kept') });
    const image = crashImage();
    appendFileSync(journalFileOf(image), '{"seq":99,"changes":[{"op":"set","org":"');

    const after = await start(image);
    const again = await after.platform();
    expect((await again('GET', `${CONNECTIONS}/${kept.body.id}`)).status).toBe(200);
    const more = await again('POST', CONNECTIONS, { body: s3Connection('after the tear') });
    expect(more.status).toBe(201);
    expect(connectionIds(recovered(image))).toEqual([kept.body.id, more.body.id]);
  });

  it('refuses a journal that does not continue its state file, naming both', async () => {
    writeFileSync(file, JSON.stringify({ format: 'ingestion-graph-emulator/1', partitions: [], tokens: [] }));
    writeFileSync(journalFileOf(file), `${JSON.stringify({ seq: 50, changes: [{ op: 'clear' }] })}\n`);
    await expect(startTestEmulator({ dataFile: file })).rejects.toThrow(
      /state\.json\.journal continues at change 50 but .*state\.json ends at change 0/,
    );
  });

  it('refuses to start when the data file cannot be written', async () => {
    // a directory where the compaction's temporary file goes
    mkdirSync(`${file}.${process.pid}.tmp`);
    await expect(startTestEmulator({ dataFile: file })).rejects.toThrow(
      /data file .*state\.json could not be written: EISDIR/,
    );
  });

  it('keeps every acknowledged write of a burst when the process is killed right after the last answer', async () => {
    const first = await startProcess();
    const acked = await burst(first.url, 300, 16);
    expect(acked).toHaveLength(300);
    await killed(first.child);

    const t = await start();
    const call = await t.platform();
    expect((await call('GET', CONNECTIONS, { query: { count: 'true' } })).body).toEqual({ count: 300 });
    expect(connectionIds(t.emu.runtime.store).sort()).toEqual([...acked].sort());
  });

  it('keeps every acknowledged write when the process is killed with writes still in flight', async () => {
    // a small journal limit: the burst compacts into the state file many times, the kill may land in one
    const first = await startProcess(['--journal-compact-bytes', '16384', '--request-log-size', '50']);
    const state = (await (await fetch(`${first.url}/__emulator/state`)).json()) as { requestLog: unknown };
    expect(state.requestLog).toEqual({ size: 0, capacity: 50, dropped: 0 });
    let kill: Promise<void> | undefined;
    const acked = await burst(first.url, 600, 16, (n) => {
      if (n === 200) kill = killed(first.child);
    });
    await kill;
    expect(acked.length).toBeGreaterThanOrEqual(200);
    const compacted = JSON.parse(readFileSync(file, 'utf8'));
    expect(compacted.partitions.find((p: any) => p.org === DOC_ORG).resources.connections.length).toBeGreaterThan(0);

    const t = await start();
    const ids = new Set(connectionIds(t.emu.runtime.store));
    expect(acked.filter((id) => !ids.has(id))).toEqual([]);
    const call = await t.platform();
    const { count } = (await call('GET', CONNECTIONS, { query: { count: 'true' } })).body as { count: number };
    expect(count).toBeGreaterThanOrEqual(acked.length);
  });
});
