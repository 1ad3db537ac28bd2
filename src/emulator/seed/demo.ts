import type { EmulatorRuntime } from '../runtime.ts';
import { seedConnections } from './demo/connections.ts';
import { demoContext } from './demo/context.ts';
import { seedDataSets } from './demo/dataSets.ts';
import { DEMO_FLOWS } from './demo/flowDefs.ts';
import { seedFlows } from './demo/flows.ts';
import { seedRunHistory } from './demo/history.ts';
import { seedXdm } from './demo/xdm.ts';

/** The demo organisation (its tenant namespace is derived from it, `_acme000000000000`). */
export const DEMO_ORG = 'ACME0000000000000000DEMO@AdobeOrg';
export const DEMO_SANDBOX = 'prod';
/** The demo org's sandboxes: its production sandbox, which holds the demo, and an empty development one. */
const DEMO_SANDBOXES = [DEMO_SANDBOX, 'dev'] as const;

/** The demo org has only its own sandboxes: any other name is answered as unknown. */
export function declareDemoSandboxes(runtime: EmulatorRuntime): void {
  runtime.sandboxes.declare(DEMO_ORG, DEMO_SANDBOXES);
}

/**
 * Fills the demo org's `prod` sandbox with a living platform, written straight into the
 * partition (no HTTP): tenant schemas, ten datasets, twelve base connections and 36
 * dataflows (some disabled, some always failing, one not started yet, four streaming)
 * with two days of run history and its Catalog batches. Names and ids are drawn from a
 * seeded generator; timestamps are relative to the emulated clock.
 */
export function seedDemo(runtime: EmulatorRuntime): void {
  const ctx = demoContext(runtime, runtime.store.partition(DEMO_ORG, DEMO_SANDBOX));
  const schemas = seedXdm(ctx);
  const dataSets = seedDataSets(ctx, schemas);
  const connections = seedConnections(ctx);
  const flows = seedFlows(ctx, DEMO_FLOWS, { schemas, dataSets, connections });
  seedRunHistory(ctx, flows);
}
