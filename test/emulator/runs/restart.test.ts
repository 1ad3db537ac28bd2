import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../emulatorHarness.ts';
import { tickRuns } from '../../../src/emulator/runs/scheduler.ts';
import { createDataflowParts, createFlow, runsOf } from './dataflowFixture.ts';

let dir: string;
let running: TestEmulator | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-runs-'));
});
afterEach(async () => {
  await running?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it("continues a flow's schedule after a restart from the data file without producing a slot twice", async () => {
  const dataFile = join(dir, 'state.json');
  running = await startTestEmulator({ dataFile });
  const call = await running.platform();
  const parts = await createDataflowParts(call);
  const startTime = Math.floor(running.emu.runtime.clock.now() / 1000) - 4 * 3600;
  const { flowId } = await createFlow(call, parts, { scheduleParams: { startTime, frequency: 'hour', interval: 1 } });
  tickRuns(running.emu.runtime);
  const before = await runsOf(call, flowId);
  expect(before).toHaveLength(5);
  await running.stop();

  running = await startTestEmulator({ dataFile });
  const again = await running.platform();
  // the scheduler's first tick after the restart: every slot it may produce is produced now
  tickRuns(running.emu.runtime);
  const after = await runsOf(again, flowId);
  const slots = after.map((r) => Number(r.params.windowEndTime));
  expect(new Set(slots).size).toBe(slots.length);
  expect(after.map((r) => r.id).sort()).toEqual(expect.arrayContaining(before.map((r) => r.id).sort()));
  expect(after.length).toBe(before.length);
});
