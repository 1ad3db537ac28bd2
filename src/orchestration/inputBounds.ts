import type { InputLimits } from '../config.ts';
import { userError, type UserError } from './userErrors.ts';

/**
 * The bounds every mutation input meets before the first upstream request: string lengths
 * and characters, list sizes, schedule ranges and record counts. The limits themselves are
 * configuration (`Config.inputLimits`); the character rules are fixed here.
 */

/** A rejection names at most this many problems, so a huge bad input cannot make a huge answer. */
export const MAX_REPORTED_ERRORS = 50;

/** Bidirectional embeddings, overrides, isolates and marks: they make text display other than it reads (U+202E). */
const BIDI = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

/**
 * The first forbidden code unit: a C0 or C1 control character (text may hold tab, line feed
 * and carriage return), a bidi control, or a surrogate without its other half.
 */
export function forbiddenAt(value: string, text: boolean): { index: number; what: string } | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return { index: i, what: 'an unpaired surrogate (not valid Unicode text)' };
    }
    if (c >= 0xdc00 && c <= 0xdfff) return { index: i, what: 'an unpaired surrogate (not valid Unicode text)' };
    const control = c < 0x20 ? !(text && (c === 0x09 || c === 0x0a || c === 0x0d)) : c >= 0x7f && c <= 0x9f;
    if (control || BIDI.has(c))
      return { index: i, what: `the ${control ? 'control' : 'bidirectional control'} character ${codePoint(c)}` };
  }
  return undefined;
}

const codePoint = (c: number): string => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

const SECONDS: Record<string, number> = { minute: 60, hour: 3_600, day: 86_400, week: 604_800 };
const DAY_MS = 86_400_000;

type Rule = 'name' | 'text' | 'path';

/** The rule of a string by the key it sits under; list items take their list's key. */
function ruleOf(key: string, inherited: Rule | undefined): Rule {
  if (inherited === 'text') return 'text';
  if (key === 'description' || key === 'datasetDescription' || key === 'params') return 'text';
  if (key === 'path' || key === 'destinationXdmPath' || key === 'sourceAttribute' || /Ids?$/.test(key) || key === 'id')
    return 'path';
  return 'name';
}

function maxLength(rule: Rule, limits: InputLimits): number {
  if (rule === 'text') return limits.maxDescriptionLength;
  if (rule === 'path') return limits.maxPathLength;
  return limits.maxNameLength;
}

/** The problem of one string, if any. */
export function checkString(
  value: string,
  rule: Rule,
  limits: InputLimits,
  at: readonly string[],
): UserError | undefined {
  const max = maxLength(rule, limits);
  if (value.length > max)
    return userError(at, 'TOO_LONG', `${at.at(-1)} is ${value.length} characters long; at most ${max} are allowed`);
  const bad = forbiddenAt(value, rule === 'text');
  if (bad !== undefined)
    return userError(
      at,
      'BAD_CHARACTER',
      `${at.at(-1)} holds ${bad.what} at position ${bad.index}; control characters, bidirectional overrides and unpaired surrogates are not allowed`,
    );
  return undefined;
}

/**
 * Walks an input (objects, lists, strings) and reports every string that is too long or holds
 * a control or bidi character, and every list longer than `maxListItems` (whose items are then
 * not looked at). Stops after `MAX_REPORTED_ERRORS`.
 */
export function checkInputBounds(value: unknown, at: readonly string[], limits: InputLimits): UserError[] {
  const errors: UserError[] = [];
  const walk = (v: unknown, path: readonly string[], key: string, inherited: Rule | undefined): void => {
    if (errors.length >= MAX_REPORTED_ERRORS || v === null || v === undefined) return;
    const rule = ruleOf(key, inherited);
    if (rule === 'text' && typeof v === 'object') {
      const tooDeep = checkJsonDepth(v, limits, path);
      if (tooDeep !== undefined) {
        errors.push(tooDeep);
        return;
      }
    }
    if (typeof v === 'string') {
      const problem = checkString(v, rule, limits, path);
      if (problem !== undefined) errors.push(problem);
      return;
    }
    if (Array.isArray(v)) {
      if (v.length > limits.maxListItems) {
        errors.push(
          userError(path, 'TOO_MANY', `${key} has ${v.length} items; at most ${limits.maxListItems} are allowed`),
        );
        return;
      }
      v.forEach((item, i) => walk(item, [...path, String(i)], key, rule === 'text' ? 'text' : inherited));
      return;
    }
    if (typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length > limits.maxListItems) {
        errors.push(
          userError(path, 'TOO_MANY', `${key} has ${entries.length} keys; at most ${limits.maxListItems} are allowed`),
        );
        return;
      }
      for (const [k, child] of entries) {
        if (rule === 'text') {
          const problem = checkString(k, 'name', limits, [...path, k]);
          if (problem !== undefined) errors.push(problem);
        }
        walk(child, [...path, k], k, rule === 'text' ? 'text' : undefined);
      }
    }
  };
  walk(value, at, at.at(-1) ?? '', undefined);
  return errors;
}

export interface ScheduleToBound {
  /** Lowercase Flow Service frequency: once, minute, hour, day, week. */
  frequency: string;
  interval?: number | null;
  /** Epoch milliseconds. */
  startTime?: number;
}

/**
 * What the flow spec's schedule rules leave open (they set only minimums): the period is at
 * most `maxScheduleIntervalDays`, the start no more than `maxScheduleStartAgeDays` before and
 * `maxScheduleStartLeadDays` after `now`.
 */
export function checkScheduleBounds(
  schedule: ScheduleToBound,
  now: number,
  limits: InputLimits,
  at: readonly string[],
): UserError[] {
  const errors: UserError[] = [];
  const unit = SECONDS[schedule.frequency];
  const interval = schedule.interval;
  if (unit !== undefined && interval !== null && interval !== undefined) {
    const most = Math.floor((limits.maxScheduleIntervalDays * 86_400) / unit);
    if (interval > most)
      errors.push(
        userError(
          [...at, 'interval'],
          'OUT_OF_RANGE',
          `every ${interval} ${schedule.frequency}(s) is longer than ${limits.maxScheduleIntervalDays} days; the interval is at most ${most} for ${schedule.frequency.toUpperCase()}`,
        ),
      );
  }
  const start = schedule.startTime;
  if (start !== undefined) {
    const earliest = now - limits.maxScheduleStartAgeDays * DAY_MS;
    const latest = now + limits.maxScheduleStartLeadDays * DAY_MS;
    if (!Number.isFinite(start) || start < earliest || start > latest)
      errors.push(
        userError(
          [...at, 'startTime'],
          'OUT_OF_RANGE',
          `startTime must be from ${new Date(earliest).toISOString()} (${limits.maxScheduleStartAgeDays} days ago) to ${new Date(latest).toISOString()} (${limits.maxScheduleStartLeadDays} days ahead)`,
        ),
      );
  }
  return errors;
}

/**
 * How deep a JSON value nests, found without recursion (a value parsed from a 1 MB body can
 * nest hundreds of thousands of levels, deeper than any recursive walk or `JSON.stringify`
 * survives); stops as soon as the limit is passed.
 */
export function checkJsonDepth(value: unknown, limits: InputLimits, at: readonly string[]): UserError | undefined {
  const pending: Array<[unknown, number]> = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [v, depth] = next;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limits.maxJsonDepth)
      return userError(
        at,
        'TOO_DEEP',
        `${at.at(-1)} nests objects and arrays more than ${limits.maxJsonDepth} levels deep (INPUT_MAX_JSON_DEPTH)`,
      );
    for (const child of Object.values(v))
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
  }
  return undefined;
}

/** The record count of one streaming call, checked before any record is looked at. */
export function checkRecordCount(count: number, limits: InputLimits, at: readonly string[]): UserError | undefined {
  if (count <= limits.maxStreamingRecords) return undefined;
  return userError(
    at,
    'TOO_MANY',
    `${count} records in one call; at most ${limits.maxStreamingRecords} are accepted per call (STREAMING_MAX_RECORDS): send them in several calls`,
  );
}
