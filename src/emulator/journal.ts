import { readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readState, syncDirectory, writeState } from './persistence.ts';
import { defaultEmulatorLog, type EmulatorLog } from './log.ts';
import type { Store, StoreChange } from './store.ts';

/** The append-only log beside a state file. */
export const journalFileOf = (stateFile: string): string => `${stateFile}.journal`;

/** Default journal size that triggers a compaction into the state file. */
export const DEFAULT_COMPACT_BYTES = 16 * 1024 * 1024;

/** One line of the journal: the changes `seq - changes.length + 1` to `seq`, in order. */
interface JournalRecord {
  seq: number;
  changes: StoreChange[];
}

export interface Recovery {
  /** Whether a state file or a journal held anything. */
  loaded: boolean;
  /** The last change the store now holds. */
  seq: number;
  /** Changes replayed from the journal on top of the state file. */
  replayed: number;
  /** Bytes at the end of the journal that were not a whole record (a write cut short by a crash). */
  ignoredBytes: number;
}

function isRecord(value: unknown): value is JournalRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return Number.isInteger(r['seq']) && Array.isArray(r['changes']) && r['changes'].length > 0;
}

/**
 * Loads the state file, then replays the journal's records that are newer than it. The
 * replay stops at the first record that is not whole (the tail of a write a crash cut
 * short, never acknowledged): those bytes are reported, not fatal. A journal that skips
 * changes the state file does not hold belongs to another state file, and is fatal.
 */
export function recoverState(store: Store, stateFile: string): Recovery {
  const state = readState(stateFile);
  if (state !== undefined) store.load(state);
  let seq = state?.journalSeq ?? 0;
  const file = journalFileOf(stateFile);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { loaded: state !== undefined, seq, replayed: 0, ignoredBytes: 0 };
    throw err;
  }
  let offset = 0;
  let replayed = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    if (end < 0) break;
    let record: unknown;
    try {
      record = JSON.parse(text.slice(offset, end));
    } catch {
      break;
    }
    if (!isRecord(record)) break;
    const first = record.seq - record.changes.length + 1;
    if (record.seq > seq) {
      if (first !== seq + 1)
        throw new Error(
          `emulator journal ${file} continues at change ${first} but ${stateFile} ends at change ${seq}: the two files do not belong together`,
        );
      for (const change of record.changes) store.apply(change);
      replayed += record.changes.length;
      seq = record.seq;
    }
    offset = end + 1;
  }
  store.reindexInlets();
  return {
    loaded: state !== undefined || offset > 0,
    seq,
    replayed,
    ignoredBytes: Buffer.byteLength(text.slice(offset)),
  };
}

export interface JournalOptions {
  /** Compact into the state file once the journal holds this many bytes. */
  compactBytes?: number;
  /** Where a failure to write is reported (default: JSON lines on stderr). */
  log?: EmulatorLog;
}

/**
 * Write-ahead log of the store with group commit. Every change is queued as it happens;
 * one writer appends everything queued since its last write as one record and syncs it
 * (fdatasync), while the changes that arrive during that sync wait for the next one, so
 * a burst of writes costs one sync per batch, not per write. `durable()` resolves once
 * every change made before the call is on disk: the server awaits it before it answers
 * a write. Now and then (and at start and close) the whole store is compacted into the
 * state file and the journal emptied.
 */
export class Journal {
  private readonly file: string;
  private readonly compactBytes: number;
  private readonly log: EmulatorLog;
  private handle: FileHandle | undefined;
  private pending: StoreChange[] = [];
  private seq: number;
  private durableSeq: number;
  private journalBytes = 0;
  private compactRequested = true;
  private writing: Promise<void> | undefined;
  private failure: Error | undefined;
  private readonly waiters: Array<{ seq: number; resolve: () => void; reject: (err: Error) => void }> = [];
  private closed = false;
  private readonly counters = { records: 0, changes: 0, compactions: 0 };

  /**
   * Starts logging the store's changes from `seq` (what `recoverState` returned). The first
   * write is a compaction: it captures whatever the store holds now, demo seed included.
   */
  constructor(
    private readonly store: Store,
    private readonly stateFile: string,
    seq: number,
    options: JournalOptions = {},
  ) {
    this.file = journalFileOf(stateFile);
    this.compactBytes = options.compactBytes ?? DEFAULT_COMPACT_BYTES;
    this.log = options.log ?? defaultEmulatorLog();
    this.seq = seq;
    this.durableSeq = seq;
    store.observe((change) => this.record(change));
    this.kick();
  }

  /** Resolves when every change made so far is on disk; rejects when the journal cannot be written. */
  durable(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.durableSeq >= this.seq && !this.compactRequested) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ seq: this.seq, resolve, reject }));
  }

  /** Records appended (one sync each), the changes they held, and compactions so far. */
  stats(): { records: number; changes: number; compactions: number } {
    return { ...this.counters };
  }

  /** Replaces the journal by a fresh state file at the next write (after a reset, say). */
  compactSoon(): void {
    this.compactRequested = true;
    this.kick();
  }

  /** Waits for the writer, compacts, and closes the journal; later changes are not logged. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.store.observe(undefined);
    await this.writing;
    if (this.failure === undefined) {
      this.compactRequested = true;
      await this.drain();
    }
    await this.handle?.close();
    this.handle = undefined;
  }

  private record(change: StoreChange): void {
    if (this.failure !== undefined) return;
    this.pending.push(change);
    this.seq++;
    this.kick();
  }

  private kick(): void {
    if (this.writing !== undefined || this.closed || this.failure !== undefined) return;
    // after the current turn: the changes one handler makes together go out in one record
    this.writing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .finally(() => {
        this.writing = undefined;
        // a change made between the writer's last check and here found it still running
        if (this.pending.length > 0 || this.compactRequested) this.kick();
      });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0 || this.compactRequested || this.journalBytes >= this.compactBytes) {
        if (this.compactRequested || this.journalBytes >= this.compactBytes) await this.compact();
        else await this.append();
      }
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private async append(): Promise<void> {
    const changes = this.pending;
    this.pending = [];
    const seq = this.seq;
    const line = `${JSON.stringify({ seq, changes } satisfies JournalRecord)}\n`;
    const handle = await this.journalHandle();
    await handle.appendFile(line);
    await handle.datasync();
    this.journalBytes += Buffer.byteLength(line);
    this.counters.records++;
    this.counters.changes += changes.length;
    this.settle(seq);
  }

  /** The store as it is now becomes the state file; the journal restarts empty. */
  private async compact(): Promise<void> {
    this.compactRequested = false;
    const seq = this.seq;
    // one synchronous step: later changes are newer than this state and go to the new journal
    const text = JSON.stringify({ ...this.store.toJSON(), journalSeq: seq });
    this.pending = [];
    await writeState(text, this.stateFile);
    // a crash here leaves the old journal beside the new state: recovery skips its records
    const created = this.handle === undefined;
    const handle = await this.journalHandle();
    await handle.truncate(0);
    await handle.datasync();
    if (created) await syncDirectory(dirname(this.file));
    this.journalBytes = 0;
    this.counters.compactions++;
    this.settle(seq);
  }

  /** Opened for appending: after a truncation the next record starts at offset 0. */
  private async journalHandle(): Promise<FileHandle> {
    this.handle ??= await open(this.file, 'a');
    return this.handle;
  }

  private settle(seq: number): void {
    this.durableSeq = seq;
    while (this.waiters.length > 0 && this.waiters[0]!.seq <= seq) this.waiters.shift()!.resolve();
  }

  private fail(err: Error): void {
    this.failure = new Error(`emulator data file ${this.stateFile} could not be written: ${err.message}`, {
      cause: err,
    });
    this.pending = [];
    this.log.error({ err }, this.failure.message);
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
  }
}
