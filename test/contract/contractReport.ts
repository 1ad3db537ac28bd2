import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { emulatorRoutes } from '../../src/emulator/server.ts';
import { ALLOWLIST } from '../../contract/allowlist.ts';
import type { FileResults } from './contractRecorder.ts';
import { openApiContract } from './openApiContract.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    contractResultsDir: string;
  }
}

/**
 * The run's contract report (a vitest global setup): every test file leaves its results in
 * a directory; at the end they are summed up and printed. Violations have already failed
 * their files; an undeclared status is only reported.
 */
export default function setup(project: TestProject): () => void {
  openApiContract(); // parses the OpenAPI files once, for every test process
  const dir = mkdtempSync(join(tmpdir(), 'ingestion-graph-contract-'));
  project.provide('contractResultsDir', dir);
  return () => {
    try {
      const files = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as FileResults);
      if (files.length > 0) console.log(contractReport(files));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** The printed summary: operations, exchanges by verdict, undeclared statuses, allowlist hits. */
export function contractReport(files: FileResults[]): string {
  const contract = openApiContract();
  const byVerdict: Record<string, number> = {};
  const exercised = new Set<string>();
  const validated = new Set<string>();
  const undeclared: Record<string, number> = {};
  const hits: Record<number, number> = {};
  const violations = new Map<string, { line: string; count: number }>();
  for (const file of files) {
    for (const v of file.violations) {
      const key = `${v.direction} of ${v.operation} → ${v.status}: ${v.at} [${v.keyword}] ${v.message}`;
      const known = violations.get(key) ?? { line: `${key} (first ${v.example})`, count: 0 };
      known.count += v.count;
      violations.set(key, known);
    }
    for (const [index, n] of Object.entries(file.allowlistHits)) hits[Number(index)] = (hits[Number(index)] ?? 0) + n;
    for (const [key, n] of Object.entries(file.counts)) {
      const [operation, direction, status, verdict] = key.split('|') as [string, string, string, string];
      byVerdict[`${direction} ${verdict}`] = (byVerdict[`${direction} ${verdict}`] ?? 0) + n;
      if (verdict === 'outsideContract') continue;
      if (direction === 'response') exercised.add(operation);
      if (direction === 'response' && (verdict === 'valid' || verdict === 'allowlisted')) validated.add(operation);
      if (verdict === 'undeclared')
        undeclared[`${operation} → ${status}`] = (undeclared[`${operation} → ${status}`] ?? 0) + n;
    }
  }
  const served = new Set<string>();
  for (const route of emulatorRoutes())
    for (const operation of contract.operationsForRoute(route.method, route.template)) served.add(operation.id);
  const verdicts = Object.entries(byVerdict)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `  ${k.padEnd(32)} ${n}`);
  const undeclaredLines = Object.entries(undeclared)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `  ${k} (${n})`);
  const allowlistLines = ALLOWLIST.map(
    (e, i) => `  ${String(hits[i] ?? 0).padStart(6)}  ${e.direction} ${e.operations.join(',')} ${e.at.source}`,
  );
  return [
    '',
    'OpenAPI contract (contract/openapi/)',
    `  operations in the files           ${contract.operations.length}`,
    `  operations the emulator serves    ${served.size}`,
    `  operations exercised              ${exercised.size}`,
    `  operations with a valid response  ${validated.size}`,
    `  violations                        ${violations.size}`,
    ...[...violations.values()].sort((a, b) => a.line.localeCompare(b.line)).map((v) => `    ${v.count}× ${v.line}`),
    'exchanges by verdict',
    ...verdicts,
    `undeclared statuses (reported, not failed): ${undeclaredLines.length}`,
    ...undeclaredLines,
    'allowlist hits',
    ...allowlistLines,
    '',
  ].join('\n');
}
