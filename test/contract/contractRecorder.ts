import type { EmulatorExchange } from '../../src/emulator/server.ts';
import { USER_AGENT } from '../../src/upstream/http.ts';
import { ALLOWLIST, type AllowlistEntry } from '../../contract/allowlist.ts';
import { openApiContract, type Outcome, type Problem } from './openApiContract.ts';

/**
 * Checks every exchange an emulator of this test process serves against the contract: the
 * response always, the request when our upstream client sent it (its `user-agent`; tests'
 * own calls send deliberately wrong requests). Results stay in this process until the
 * per-file hook (contractSetup.ts) reports them.
 */

export type Direction = 'response' | 'request';
export type Verdict = Outcome['kind'] | 'allowlisted' | 'injected' | 'outsideContract' | 'notOurClient';

/** One problem, however many exchanges had it (array indices and ids in its place read `*`). */
export interface Violation {
  operation: string;
  direction: Direction;
  status: number;
  at: string;
  keyword: string;
  message: string;
  count: number;
  /** The first exchange that had it: `METHOD path?query`. */
  example: string;
}

export interface FileResults {
  /** `operation|direction|status|verdict` → count. */
  counts: Record<string, number>;
  violations: Violation[];
  /** Allowlist entries that matched, by index. */
  allowlistHits: Record<number, number>;
}

let results: FileResults = { counts: {}, violations: [], allowlistHits: {} };
let violationIndex = new Map<string, Violation>();

export function takeResults(): FileResults {
  const taken = results;
  results = { counts: {}, violations: [], allowlistHits: {} };
  violationIndex = new Map();
  return taken;
}

/** A problem's place with array indices and ids (Catalog maps are keyed by id) as `*`. */
function placeOf(at: string): string {
  return at
    .split('/')
    .map((segment, i) => (i > 0 && /^(\d+|[0-9a-f]{24,}|[0-9A-Z]{26}|[0-9a-f-]{36})$/.test(segment) ? '*' : segment))
    .join('/');
}

function count(operation: string, direction: Direction, status: number, verdict: Verdict): void {
  const key = `${operation}|${direction}|${status}|${verdict}`;
  results.counts[key] = (results.counts[key] ?? 0) + 1;
}

function allowed(entry: AllowlistEntry, operation: string, direction: Direction, status: number, p: Problem) {
  return (
    entry.operations.includes(operation) &&
    entry.direction === direction &&
    (entry.status === undefined || entry.status === status) &&
    entry.at.test(p.at) &&
    (entry.keyword === undefined || entry.keyword === p.keyword)
  );
}

/** The outcome less the allowlisted problems. */
function judge(outcome: Outcome, operation: string, direction: Direction, status: number): Verdict | Problem[] {
  if (outcome.kind !== 'invalid') return outcome.kind;
  const left = outcome.problems.filter((p) => {
    const index = ALLOWLIST.findIndex((e) => allowed(e, operation, direction, status, p));
    if (index < 0) return true;
    results.allowlistHits[index] = (results.allowlistHits[index] ?? 0) + 1;
    return false;
  });
  return left.length === 0 ? 'allowlisted' : left;
}

function record(operation: string, direction: Direction, exchange: EmulatorExchange, verdict: Verdict | Problem[]) {
  if (typeof verdict === 'string') {
    count(operation, direction, exchange.status, verdict);
    return;
  }
  count(operation, direction, exchange.status, 'invalid');
  for (const problem of verdict) {
    const at = placeOf(problem.at);
    const key = `${operation}|${direction}|${exchange.status}|${at}|${problem.keyword}`;
    const known = violationIndex.get(key);
    if (known !== undefined) {
      known.count++;
      continue;
    }
    const violation: Violation = {
      operation,
      direction,
      status: exchange.status,
      at,
      keyword: problem.keyword,
      message: problem.message,
      count: 1,
      example: `${exchange.method} ${exchange.path}${exchange.search === '' ? '' : `?${exchange.search}`}`,
    };
    violationIndex.set(key, violation);
    results.violations.push(violation);
  }
}

/** The emulator option `observe` of the test stacks; an exchange that cannot be checked is a violation. */
export function observeContract(exchange: EmulatorExchange): void {
  try {
    check(exchange);
  } catch (err) {
    record('(contract)', 'response', exchange, [
      { at: 'validator', keyword: 'error', message: `could not be checked: ${(err as Error).message}` },
    ]);
  }
}

function check(exchange: EmulatorExchange): void {
  const contract = openApiContract();
  const matched = contract.match(exchange.method, exchange.path);
  if (matched === undefined) {
    count(
      `${exchange.method} ${exchange.path.split('/').slice(0, 5).join('/')}`,
      'response',
      exchange.status,
      'outsideContract',
    );
    return;
  }
  const { operation, params } = matched;
  if (exchange.injected) {
    count(operation.id, 'response', exchange.status, 'injected');
    return;
  }
  const response = contract.validateResponse(
    operation,
    exchange.status,
    exchange.responseHeaders['content-type'],
    exchange.responseText,
  );
  record(operation.id, 'response', exchange, judge(response, operation.id, 'response', exchange.status));
  if (exchange.requestHeaders['user-agent'] !== USER_AGENT) {
    count(operation.id, 'request', exchange.status, 'notOurClient');
    return;
  }
  const request = contract.validateRequest(operation, {
    params,
    query: new URLSearchParams(exchange.search),
    headers: exchange.requestHeaders,
    body: exchange.requestBody,
  });
  record(operation.id, 'request', exchange, judge(request, operation.id, 'request', exchange.status));
}
