import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PersistedState, Store } from './store.ts';

/** Loads a saved state into the store; returns false when the file does not exist. */
export function loadState(store: Store, file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  store.load(JSON.parse(text) as PersistedState);
  return true;
}

/**
 * Writes the whole state atomically: a temporary file in the same directory, then a
 * rename over the target, so a crash leaves either the old file or the new one.
 */
export function saveState(store: Store, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(store.toJSON()));
  renameSync(tmp, file);
}

/** Coalesces writes: many dirty marks within `delayMs` give one save. */
export function debouncedSaver(store: Store, file: string, delayMs = 50): { schedule(): void; flush(): void } {
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    saveState(store, file);
  };
  return {
    schedule() {
      if (timer === undefined) timer = setTimeout(flush, delayMs);
    },
    flush,
  };
}
