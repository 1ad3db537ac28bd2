import { randomInt } from 'node:crypto';
import type { EmulatorRuntime } from '../runtime.ts';

interface Sequence {
  /** Stands in for the DCS node that took the request (the middle number). */
  node: number;
  next: number;
}

const sequences = new WeakMap<EmulatorRuntime, Sequence>();

/**
 * A DCS transaction id `"{epochMs}:{node}:{n}"` (§1.4), unique within one emulator. The
 * batch route uses one as its `batchId` and suffixes `:{index}` for each message.
 */
export function transactionId(runtime: EmulatorRuntime): string {
  let seq = sequences.get(runtime);
  if (seq === undefined) {
    seq = { node: randomInt(1000, 10_000), next: 0 };
    sequences.set(runtime, seq);
  }
  seq.next += 1;
  return `${runtime.clock.now()}:${seq.node}:${seq.next}`;
}
