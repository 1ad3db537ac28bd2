import { readFileSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { STATE_FORMAT, type PersistedState } from './store.ts';

/** The state file's contents, or undefined when the file does not exist. */
export function readState(file: string): PersistedState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`emulator state file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const format = typeof parsed === 'object' && parsed !== null ? (parsed as { format?: unknown }).format : undefined;
  if (format !== STATE_FORMAT)
    throw new Error(`emulator state file ${file} has format ${JSON.stringify(format)}, expected "${STATE_FORMAT}"`);
  return parsed as PersistedState;
}

/**
 * Writes the whole state (already serialised: the caller captures it in one synchronous
 * step) atomically and durably: a temporary file in the same directory, synced, renamed
 * over the target, then the directory synced, so a crash at any point leaves either the
 * old file or the new one.
 */
export async function writeState(text: string, file: string): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await syncDirectory(dir);
}

/** Makes a rename or a new file in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
