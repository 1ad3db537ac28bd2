import type { DataflowStepStatus } from '../generated/graphql.ts';
import { exemptFromLimits, type Credentials } from '../upstream/credentials.ts';
import { outcomeUnknown } from '../upstream/upstreamError.ts';

export interface StepReport {
  name: string;
  status: DataflowStepStatus;
  resourceId: string | null;
  durationMs: number | null;
  error: string | null;
  request: unknown;
}

/**
 * How a created resource is undone: a delete, or nothing when the upstream has no delete.
 * `undo` calls with the credentials it is given (exempt from the operation's limits).
 */
export type Compensation = { undo: (c: Credentials) => Promise<unknown> } | { cannotUndo: string };

interface Done {
  name: string;
  resourceId: string;
  compensation: Compensation;
}

/** What a write created: its id, the value the next steps use, and how to undo it. */
export interface Created<T> {
  id: string;
  value: T;
  compensation: Compensation;
}

/**
 * Looks up, with the credentials it is given, what a write would have created (by the marker
 * it set); undefined: the write did not happen.
 */
export type Find<T> = (c: Credentials) => Promise<Created<T> | undefined>;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Runs the writes of one multi-step mutation: each step is named and timed, steps run as
 * soon as what they await is there, and on failure everything created is compensated in
 * reverse order of creation, each outcome reported.
 */
export class Saga {
  readonly #steps = new Map<string, StepReport>();
  readonly #done: Done[] = [];
  /** Writes whose outcome is still unknown: the lookup after a lost answer failed too. */
  readonly #unsettled: Array<{ name: string; find: Find<unknown> }> = [];
  #failure: unknown;
  #failedStep: string | undefined;
  /** The caller the writes are made for: lookups after a lost answer use them, compensations their exempt view. */
  readonly #credentials: Credentials;

  constructor(plan: ReadonlyArray<{ name: string; request?: unknown }>, credentials: Credentials) {
    this.#credentials = credentials;
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
   * `write` returns the id of what it created and how to undo it. When the write fails with
   * its outcome unknown (the answer was lost after the request was sent) and `find` is given,
   * the saga looks the resource up before deciding: found, the step is DONE as if answered;
   * not found, it FAILED and created nothing; the lookup failing too, it is looked up again
   * before compensation.
   */
  async step<T>(name: string, write: () => Promise<Created<T>>, find?: Find<T>): Promise<T | undefined> {
    const report = this.#report(name);
    if (this.failed) {
      report.status = 'SKIPPED';
      return undefined;
    }
    const started = performance.now();
    const done = (created: Created<T>): T => {
      report.durationMs = Math.round(performance.now() - started);
      report.resourceId = created.id;
      report.status = 'DONE';
      this.#done.push({ name, resourceId: created.id, compensation: created.compensation });
      return created.value;
    };
    try {
      return done(await write());
    } catch (err) {
      let why = messageOf(err);
      if (find !== undefined && outcomeUnknown(err)) {
        try {
          const found = await find(this.#credentials);
          if (found !== undefined) {
            const value = done(found);
            report.error = `${why}: the answer was lost, but the write happened (found by its marker)`;
            return value;
          }
          why = `${why}: the write did not happen (nothing carries its marker)`;
        } catch (lookupErr) {
          why = `${why}: outcome unknown, and looking it up failed (${messageOf(lookupErr)})`;
          this.#unsettled.push({ name, find });
        }
      }
      report.durationMs = Math.round(performance.now() - started);
      report.status = 'FAILED';
      report.error = why;
      if (this.#failedStep === undefined) {
        this.#failure = err;
        this.#failedStep = name;
      }
      return undefined;
    }
  }

  /** A `step` whose write and whose lookup answer alike: `made` turns either answer into what was created. */
  write<R, T>(
    name: string,
    w: { create: () => Promise<R>; find: (c: Credentials) => Promise<R | undefined>; made: (answer: R) => Created<T> },
  ): Promise<T | undefined> {
    return this.step(
      name,
      async () => w.made(await w.create()),
      async (c) => {
        const found = await w.find(c);
        return found === undefined ? undefined : w.made(found);
      },
    );
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

  /** Leaves a completed step's resource in place on compensation, saying why (e.g. for a retry to reuse). */
  keep(name: string, why: string): void {
    const done = this.#done.find((d) => d.name === name);
    if (done !== undefined) done.compensation = { cannotUndo: why };
  }

  /**
   * Undoes every completed step, newest first; what cannot be undone is LEFT_BEHIND with its
   * id. A write whose outcome is still unknown is looked up once more first: found, it is
   * undone like the others; still unknown, nothing is deleted, since a resource that may exist
   * (a flow) may use the others. The lookups and undos run whatever the operation's budget,
   * deadline or client: an operation that ran out of them must not leave its writes half undone.
   */
  async compensate(): Promise<void> {
    const exempt = exemptFromLimits(this.#credentials);
    for (const report of this.#steps.values()) if (report.status === 'PLANNED') report.status = 'SKIPPED';
    const unknown = await this.#settle(exempt);
    for (const done of [...this.#done].reverse()) {
      const report = this.#report(done.name);
      if (unknown !== undefined) {
        report.status = 'LEFT_BEHIND';
        report.error = `kept: the outcome of step ${unknown} is unknown, and what it may have created may use this`;
        continue;
      }
      if ('cannotUndo' in done.compensation) {
        report.status = 'LEFT_BEHIND';
        report.error = done.compensation.cannotUndo;
        continue;
      }
      try {
        await done.compensation.undo(exempt);
        report.status = 'ROLLED_BACK';
      } catch (err) {
        report.status = 'LEFT_BEHIND';
        report.error = `could not be deleted: ${messageOf(err)}`;
      }
    }
  }

  /** Looks up the unsettled writes again; found ones join the completed; returns a step still unknown. */
  async #settle(exempt: Credentials): Promise<string | undefined> {
    let unknown: string | undefined;
    for (const { name, find } of this.#unsettled) {
      const report = this.#report(name);
      try {
        const found = await find(exempt);
        if (found === undefined) {
          report.error = `${report.error ?? ''}; looked up again: the write did not happen`;
          continue;
        }
        report.resourceId = found.id;
        report.error = `${report.error ?? ''}; looked up again: the write happened`;
        this.#done.push({ name, resourceId: found.id, compensation: found.compensation });
      } catch (err) {
        report.error = `${report.error ?? ''}; looked up again: still unknown (${messageOf(err)})`;
        unknown ??= name;
      }
    }
    this.#unsettled.length = 0;
    return unknown;
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
