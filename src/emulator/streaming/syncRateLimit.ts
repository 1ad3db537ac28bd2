import { SYNC_VALIDATION_LIMIT } from '../../upstream/streaming/wire.ts';
import type { EmulatorRuntime } from '../runtime.ts';

export const SYNC_REQUESTS_PER_MINUTE = SYNC_VALIDATION_LIMIT.requests;
const WINDOW_MS = SYNC_VALIDATION_LIMIT.windowMs;

/** Per emulator, per inlet: the emulated times of the sync requests of the last minute. */
const windows = new WeakMap<EmulatorRuntime, Map<string, number[]>>();

/**
 * Counts one sync-validation request against the inlet's sliding one-minute window;
 * false (and nothing counted) when the window is full.
 */
export function takeSyncSlot(runtime: EmulatorRuntime, inletId: string): boolean {
  let perInlet = windows.get(runtime);
  if (perInlet === undefined) {
    perInlet = new Map();
    windows.set(runtime, perInlet);
  }
  const now = runtime.clock.now();
  const recent = (perInlet.get(inletId) ?? []).filter((t) => t > now - WINDOW_MS);
  perInlet.set(inletId, recent);
  if (recent.length >= SYNC_REQUESTS_PER_MINUTE) return false;
  recent.push(now);
  return true;
}
