export interface RequestLogEntry {
  method: string;
  path: string;
  /** The decoded query string without `?` (empty when none). */
  query: string;
  status: number;
  org: string | null;
  sandbox: string | null;
  /** The caller's `x-request-id` (not the emulator's own, which it answers with), or null. */
  callerRequestId: string | null;
  /** The W3C `traceparent` the caller sent, or null. */
  traceparent: string | null;
  startedAt: number;
  durationMs: number;
  /** Set when a `reset` fault closed the connection instead of answering. */
  reset?: FaultReset;
}

/**
 * A fault that closes the connection instead of answering: `unprocessed` before the request
 * is handled (nothing changes), `processed` after it is handled (the write is stored, the
 * answer is lost), so a client cannot tell the two apart.
 */
export type FaultReset = 'processed' | 'unprocessed';

/** Default number of requests the log keeps. */
export const DEFAULT_REQUEST_LOG_SIZE = 10_000;

/**
 * The most recent `capacity` service requests, oldest first: a ring buffer, so recording one
 * costs O(1) and a long-running emulator's log stays bounded. Older entries are overwritten
 * and counted in `dropped`.
 */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  /** Index of the oldest entry once the buffer is full. */
  private head = 0;
  private droppedCount = 0;

  constructor(readonly capacity: number = DEFAULT_REQUEST_LOG_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`request log size must be an integer >= 1, got ${capacity}`);
  }

  push(entry: RequestLogEntry): void {
    if (this.entries.length < this.capacity) {
      this.entries.push(entry);
      return;
    }
    this.entries[this.head] = entry;
    this.head = (this.head + 1) % this.capacity;
    this.droppedCount++;
  }

  /** Oldest first. */
  toArray(): RequestLogEntry[] {
    return [...this.entries.slice(this.head), ...this.entries.slice(0, this.head)];
  }

  get size(): number {
    return this.entries.length;
  }

  /** Entries overwritten since the start or the last `clear()`. */
  get dropped(): number {
    return this.droppedCount;
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.droppedCount = 0;
  }
}
