import type { Router } from '../router.ts';
import { collectBatch, collectMessage } from './collection.ts';
import { batchPath, messagePath } from '../../upstream/streaming/wire.ts';

/**
 * Streaming collection (DCS, §6.2), served on the emulator's own origin. These routes
 * pass no platform gateway: the inlet decides org, sandbox and whether a token is needed.
 */
export function registerStreaming(router: Router): void {
  router.add('streaming', 'POST', batchPath(':inletId'), collectBatch);
  router.add('streaming', 'POST', messagePath(':inletId'), collectMessage);
}
