import type { PollScheduler } from '../src/live/runPoller.ts';

/** Polls when the test says so: `tick()` runs every scheduled poll once and waits for them. */
export class ManualPollScheduler implements PollScheduler {
  readonly #tasks = new Set<() => Promise<void>>();

  every(_intervalMs: number, task: () => Promise<void>): () => void {
    this.#tasks.add(task);
    return () => this.#tasks.delete(task);
  }

  /** Pollers scheduled now. */
  get active(): number {
    return this.#tasks.size;
  }

  async tick(): Promise<void> {
    await Promise.all([...this.#tasks].map((task) => task()));
  }
}
