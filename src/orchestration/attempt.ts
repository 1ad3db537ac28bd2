import { newWriteMarker } from './writeMarkers.ts';

/** One run of the writes. */
export interface Attempt {
  /** Set on everything this attempt creates, to find a write whose answer was lost (writeMarkers.ts). */
  marker: string;
  /** With an idempotency key: a retry reuses what this attempt leaves behind. */
  keyed: boolean;
  /** What earlier failed attempts with the same key left behind. */
  leftovers: Record<string, string> | undefined;
}

export function newAttempt(keyed: boolean, leftovers: Record<string, string> | undefined): Attempt {
  return { marker: newWriteMarker(), keyed, leftovers };
}

/** The step message of a resource an earlier failed attempt left and this one reuses. */
export const REUSED = 'reused: left by an earlier attempt with the same idempotencyKey';
