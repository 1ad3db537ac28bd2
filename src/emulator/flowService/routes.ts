import type { Router } from '../router.ts';
import { registerConnections } from './connections.ts';
import { registerExplore } from './explore.ts';
import { registerFlows } from './flows.ts';
import { registerRuns } from './runRoutes.ts';
import { registerSourceConnections } from './sourceConnections.ts';
import { registerSpecs } from './specs.ts';
import { registerTargetConnections } from './targetConnections.ts';

/** Flow Service, `/data/foundation/flowservice` (CONTRACT §2): specs, connections, flows, runs. */
export function registerFlowService(router: Router): void {
  registerSpecs(router);
  registerConnections(router);
  registerExplore(router);
  registerSourceConnections(router);
  registerTargetConnections(router);
  registerFlows(router);
  registerRuns(router);
}
