import type { Router } from '../router.ts';
import { registerBatches } from './batches.ts';
import { registerDataSets } from './dataSets.ts';

/**
 * Catalog Service `/data/foundation/catalog` (CONTRACT §3): datasets, batches and
 * `lastBatches`. Answers are keyed maps; writes answer `["@/<kind>/<id>"]`; errors use the
 * emulator-only `CAT-{code}-{status}` problem body (§1.6).
 */
export function registerCatalog(router: Router): void {
  registerDataSets(router);
  registerBatches(router);
}
