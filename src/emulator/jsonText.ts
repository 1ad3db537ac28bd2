/**
 * The text of a value parsed from JSON, for comparing and echoing: scalars as `String()` gives
 * them, objects and arrays as JSON (never `[object Object]`).
 */
export function jsonText(value: unknown): string {
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
