import type { RunActivityDto, RunDto, RunErrorDto } from '../../upstream/flowService/types.ts';

type Summaries = Pick<RunDto['metrics'], 'durationSummary' | 'sizeSummary' | 'recordSummary' | 'fileSummary'>;

/** How long a run (or activity) took; null while it has not completed. */
export function runDuration(d: Summaries['durationSummary']): number | null {
  return d.completedAtUTC !== undefined ? d.completedAtUTC - d.startedAtUTC : null;
}

export function runMetrics(m: Summaries, id: string) {
  return {
    id,
    inputRecords: m.recordSummary.inputRecordCount,
    outputRecords: m.recordSummary.outputRecordCount,
    failedRecords: m.recordSummary.failedRecordCount,
    skippedRecords: m.recordSummary.skippedRecordCount ?? null,
    inputBytes: m.sizeSummary.inputBytes,
    outputBytes: m.sizeSummary.outputBytes,
    inputFiles: m.fileSummary.inputFileCount,
    outputFiles: m.fileSummary.outputFileCount,
    failedFiles: m.fileSummary.failedFileCount ?? null,
    durationMs: runDuration(m.durationSummary),
  };
}

export function runErrors(
  summary: { errors?: RunErrorDto[]; extensions?: { errors?: RunErrorDto[] } } | undefined,
): RunErrorDto[] {
  return summary?.errors ?? summary?.extensions?.errors ?? [];
}

/** Catalog batch ids a run wrote, from its activities' target references. */
export function runBatchIds(run: RunDto): string[] {
  const ids = run.activities.flatMap((a: RunActivityDto) => (a.targetInfo ?? []).flatMap((t) => t.reference.ids));
  return [...new Set(ids)];
}
