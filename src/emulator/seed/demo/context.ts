import type { AuditDto } from '../../../upstream/flowService/types.ts';
import type { EmulatorRuntime } from '../../runtime.ts';
import { SeededRandom } from '../../runs/seededRandom.ts';
import type { Partition } from '../../store.ts';

/** What every demo builder needs: where to write, a deterministic generator and "now". */
export interface DemoContext {
  runtime: EmulatorRuntime;
  part: Partition;
  rnd: SeededRandom;
  /** Emulated epoch ms at seeding time. */
  now: number;
}

export const DEMO_CLIENT = 'acme_data_engineering';
export const DEMO_USER = 'B8F2A1C05E7D4A3B0A49421D@AdobeID';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export function demoContext(runtime: EmulatorRuntime, part: Partition): DemoContext {
  return { runtime, part, rnd: new SeededRandom(`demo|${part.org}|${part.sandbox}`), now: runtime.clock.now() };
}

/** Flow Service audit fields (§2.2) of an object the demo "created" at `createdAt`. */
export function demoAudit(ctx: DemoContext, createdAt: number): AuditDto {
  const etag = `"${ctx.rnd.hex(8)}-0000-0200-0000-${ctx.rnd.hex(12)}"`;
  return {
    id: ctx.rnd.uuid(),
    createdAt,
    updatedAt: createdAt,
    createdBy: DEMO_USER,
    updatedBy: DEMO_USER,
    createdClient: DEMO_CLIENT,
    updatedClient: DEMO_CLIENT,
    sandboxId: ctx.part.sandboxId,
    sandboxName: ctx.part.sandbox,
    imsOrgId: ctx.part.org,
    version: etag,
    etag,
  };
}
