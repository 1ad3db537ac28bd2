import type { RunErrorDto } from '../../upstream/flowService/types.ts';
import type { SourceKind } from '../seed/connectionSpecs.ts';
import { SeededRandom } from './seededRandom.ts';

/** A flow whose description contains this marker fails every run (demo and tests use it). */
export const FAIL_MARKER = '[emulator:fail]';
/** A flow whose description contains this marker succeeds every run, with no rejected record. */
export const SUCCEED_MARKER = '[emulator:succeed]';

/** The outcome a flow's description forces on its runs, if any. */
export type ForcedOutcome = 'fail' | 'succeed' | undefined;

export function forcedOutcome(description: string | undefined): ForcedOutcome {
  if (description?.includes(FAIL_MARKER) === true) return 'fail';
  if (description?.includes(SUCCEED_MARKER) === true) return 'succeed';
  return undefined;
}

export type FailureKind = 'connector' | 'ingest' | 'mapper';

/**
 * Everything about a run that is decided up front: a pure function of the run id and
 * the flow, so the same run always takes as long, reads as much and ends the same way.
 */
export interface RunPlan {
  /** Emulated ms between an on-demand run's scheduled time and its start. */
  queueDelayMs: number;
  durationMs: number;
  /** Undefined for a successful run. */
  failure?: FailureKind;
  inputFileCount: number;
  inputRecordCount: number;
  inputBytes: number;
  /** Records rejected by ingestion (partial failures on successes, all errors on INGEST failures). */
  failedRecordCount: number;
  errors: RunErrorDto[];
}

const FAILURE_RATE = 0.15;
const PARTIAL_FAILURE_RATE = 0.25;

export function planRun(runId: string, flowId: string, kind: SourceKind, forced: ForcedOutcome): RunPlan {
  const rnd = new SeededRandom(`${runId}|${flowId}`);
  const inputFileCount = kind === 'file' ? rnd.int(1, 24) : 0;
  const inputRecordCount = kind === 'file' ? rnd.logInt(2_000, 2_000_000) : rnd.logInt(500, 600_000);
  const bytesPerRecord = rnd.int(120, 900);
  const inputBytes = inputRecordCount * bytesPerRecord;
  // Roughly 40 s fixed cost plus 1 s per 10k records, within 30 s .. 40 min.
  const durationMs = Math.min(
    2_400_000,
    Math.max(30_000, 40_000 + Math.round(inputRecordCount / 10) + rnd.int(0, 60_000)),
  );
  const queueDelayMs = rnd.int(2_000, 20_000);
  const base = { queueDelayMs, inputFileCount, inputRecordCount, inputBytes };

  const fails = forced === 'fail' || (forced === undefined && rnd.chance(FAILURE_RATE));
  if (!fails) {
    if (forced === 'succeed' || !rnd.chance(PARTIAL_FAILURE_RATE))
      return { ...base, durationMs, failedRecordCount: 0, errors: [] };
    const failed = Math.max(1, Math.round(inputRecordCount * rnd.next() * 0.004));
    return {
      ...base,
      durationMs,
      failedRecordCount: failed,
      errors: [
        { code: 'INGEST-1212-400', message: ingestMessage(failed, inputRecordCount - failed), recordCount: failed },
      ],
    };
  }

  const roll = rnd.next();
  if (roll < 0.4) {
    const host = rnd.pick([
      'connection timed out',
      'connection reset by peer',
      'authentication failed: invalid credentials',
      'host unreachable',
    ]);
    return {
      ...base,
      durationMs: rnd.int(15_000, 90_000),
      failure: 'connector',
      failedRecordCount: 0,
      errors: [
        {
          code: 'CONNECTOR-2001-500',
          message: `Something went wrong while reading the source: ${host}. Check the connection and retry.`,
        },
      ],
    };
  }
  if (roll < 0.8) {
    const failed = Math.max(1, Math.round(inputRecordCount * (0.01 + rnd.next() * 0.3)));
    return {
      ...base,
      durationMs,
      failure: 'ingest',
      failedRecordCount: failed,
      errors: [
        { code: 'INGEST-1212-400', message: ingestMessage(failed, inputRecordCount - failed), recordCount: failed },
      ],
    };
  }
  const field = rnd.pick([
    'person.birthDate',
    'personalEmail.address',
    'homeAddress.postalCode',
    'timestamp',
    'mobilePhone.number',
  ]);
  return {
    ...base,
    durationMs,
    failure: 'mapper',
    failedRecordCount: inputRecordCount,
    errors: [
      {
        code: 'MAPPER-3700-400',
        message: `Mapper Transform Error: the value of source field mapped to ${field} cannot be converted to the target type.`,
        recordCount: inputRecordCount,
      },
    ],
  };
}

function ingestMessage(failed: number, ingested: number): string {
  return `Encountered ${failed} errors in the data. Successfully ingested ${ingested} rows. Review the associated error diagnostics for details.`;
}
