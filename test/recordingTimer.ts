import type { Timer } from '../src/upstream/timer.ts';

/** A transport timer that waits without waiting: records each wait and moves its clock on by it. */
export class RecordingTimer implements Timer {
  readonly waits: number[] = [];
  #skipped = 0;

  now(): number {
    return performance.now() + this.#skipped;
  }

  sleep(ms: number): Promise<void> {
    this.waits.push(ms);
    this.#skipped += ms;
    return Promise.resolve();
  }
}
