import { once, type EventEmitter } from 'node:events';

/**
 * Resolves once `condition` holds, checked now and after every `change` event of `changes`.
 * The check and the next wait start in the same turn, so no change can slip between them.
 */
export async function untilChanged(changes: EventEmitter, condition: () => boolean): Promise<void> {
  while (!condition()) await once(changes, 'change');
}
