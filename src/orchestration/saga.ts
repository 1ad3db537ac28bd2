import type { DataflowStepStatus } from '../generated/graphql.ts';

export interface StepReport {
  name: string;
  status: DataflowStepStatus;
  resourceId: string | null;
  durationMs: number | null;
  error: string | null;
  request: unknown;
}

/** How a created resource is undone: a delete, or nothing when the upstream has no delete. */
export type Compensation = { undo: () => Promise<unknown> } | { cannotUndo: string };

interface Done {
  name: string;
  resourceId: string;
  compensation: Compensation;
}

/**
 * Runs the writes of one multi-step mutation: each step is named and timed, steps run as
 * soon as what they await is there, and on failure everything created is compensated in
 * reverse order of creation, each outcome reported.
 */
export class Saga {
  readonly #steps = new Map<string, StepReport>();
  readonly #done: Done[] = [];
  #failure: unknown;
  #failedStep: string | undefined;

  constructor(plan: ReadonlyArray<{ name: string; request?: unknown }>) {
    for (const p of plan)
      this.#steps.set(p.name, {
        name: p.name,
        status: 'PLANNED',
        resourceId: null,
        durationMs: null,
        error: null,
        request: p.request ?? null,
      });
  }

  get failed(): boolean {
    return this.#failedStep !== undefined;
  }

  /** The first error and the step it happened in. */
  get failure(): { step: string; error: unknown } | undefined {
    return this.#failedStep === undefined ? undefined : { step: this.#failedStep, error: this.#failure };
  }

  /**
   * Runs a write unless an earlier step failed (then it is SKIPPED and resolves undefined).
   * `write` returns the id of what it created and how to undo it.
   */
  async step<T>(
    name: string,
    write: () => Promise<{ id: string; value: T; compensation: Compensation }>,
  ): Promise<T | undefined> {
    const report = this.#report(name);
    if (this.failed) {
      report.status = 'SKIPPED';
      return undefined;
    }
    const started = performance.now();
    try {
      const { id, value, compensation } = await write();
      report.durationMs = Math.round(performance.now() - started);
      report.resourceId = id;
      report.status = 'DONE';
      this.#done.push({ name, resourceId: id, compensation });
      return value;
    } catch (err) {
      report.durationMs = Math.round(performance.now() - started);
      report.status = 'FAILED';
      report.error = err instanceof Error ? err.message : String(err);
      if (this.#failedStep === undefined) {
        this.#failure = err;
        this.#failedStep = name;
      }
      return undefined;
    }
  }

  /** Marks a step that did not need a write (an existing resource, a cached lookup, a reuse). */
  skip(name: string, resourceId: string | null, why: string): void {
    const report = this.#report(name);
    report.status = 'SKIPPED';
    report.resourceId = resourceId;
    report.error = why;
  }

  /** Marks a step that only read (e.g. a spec lookup). */
  read(name: string, resourceId: string, durationMs = 0): void {
    const report = this.#report(name);
    report.status = 'DONE';
    report.resourceId = resourceId;
    report.durationMs = durationMs;
  }

  /** Undoes every completed step, newest first; what cannot be undone is LEFT_BEHIND with its id. */
  async compensate(): Promise<void> {
    for (const report of this.#steps.values()) if (report.status === 'PLANNED') report.status = 'SKIPPED';
    for (const done of [...this.#done].reverse()) {
      const report = this.#report(done.name);
      if ('cannotUndo' in done.compensation) {
        report.status = 'LEFT_BEHIND';
        report.error = done.compensation.cannotUndo;
        continue;
      }
      try {
        await done.compensation.undo();
        report.status = 'ROLLED_BACK';
      } catch (err) {
        report.status = 'LEFT_BEHIND';
        report.error = `could not be deleted: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
  }

  /** Resources that remain after compensation, by step name. */
  leftBehind(): Record<string, string> {
    return Object.fromEntries(
      [...this.#steps.values()]
        .filter((s) => s.status === 'LEFT_BEHIND' && s.resourceId !== null)
        .map((s) => [s.name, s.resourceId!]),
    );
  }

  reports(): StepReport[] {
    return [...this.#steps.values()];
  }

  #report(name: string): StepReport {
    let report = this.#steps.get(name);
    if (report === undefined) {
      report = { name, status: 'PLANNED', resourceId: null, durationMs: null, error: null, request: null };
      this.#steps.set(name, report);
    }
    return report;
  }
}
