import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, inject } from 'vitest';
import { takeResults } from './contractRecorder.ts';

/**
 * Runs after every test file (a vitest setup file): hands the file's contract results to the
 * run's report (contractReport.ts) and fails the file on a violation of the contract.
 */
afterAll(() => {
  const results = takeResults();
  const name = expect.getState().testPath ?? 'unknown';
  const file = join(inject('contractResultsDir'), `${process.pid}-${name.replace(/[^a-z0-9]+/gi, '_')}.json`);
  writeFileSync(file, JSON.stringify({ file: name, ...results }));
  if (results.violations.length === 0) return;
  const lines = results.violations.map(
    (v) =>
      `  ${v.direction} of ${v.operation} → ${v.status}: ${v.at} [${v.keyword}] ${v.message} ` +
      `(${v.count}×, first ${v.example})`,
  );
  throw new Error(`the OpenAPI contract is violated:\n${lines.join('\n')}`);
});
