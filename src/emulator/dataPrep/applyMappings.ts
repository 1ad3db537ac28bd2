import { jsonText } from '../jsonText.ts';
import type { TransformErrorDto } from '../../upstream/dataPrep/types.ts';
import type { XdmFieldDto } from '../../upstream/schemaRegistry/types.ts';
import { destinationFieldPath, xdmFieldsByPath } from '../../upstream/schemaRegistry/wire.ts';

/** The fields `applyMappings` reads; both request mappings and stored `MappingDto`s fit. */
export interface ApplicableMapping {
  sourceType: string;
  source?: string;
  destination?: string;
}

export interface MappedRecord {
  data: Record<string, unknown>;
  errors: TransformErrorDto[] | null;
}

export const APPLY_ERROR_CODES = {
  UNSUPPORTED_EXPRESSION: 'UNSUPPORTED_EXPRESSION',
  TYPE_CONVERSION_FAILED: 'TYPE_CONVERSION_FAILED',
} as const;

/** `a.b[0].c` → `['a', 'b', 'c']`: array positions are not addressed by the emulator. */
const segmentsOf = (path: string): string[] =>
  path
    .replace(/\[[^\]]*\]/g, '')
    .split('.')
    .filter((s) => s !== '');

function readPath(row: unknown, path: string): unknown {
  let current: unknown = row;
  for (const segment of segmentsOf(path)) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function writePath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = segmentsOf(path);
  let current = target;
  for (const segment of segments.slice(0, -1)) {
    const next = current[segment];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) current[segment] = {};
    current = current[segment] as Record<string, unknown>;
  }
  const last = segments[segments.length - 1];
  if (last !== undefined) current[last] = value;
}

/** Field path (`xdmFieldPaths` notation) → XDM `type`, for converting source values the way Data Prep does (`1234` → `"1234"`). */
export function fieldTypes(properties: Record<string, XdmFieldDto>): Map<string, string> {
  const types = new Map<string, string>();
  for (const [path, field] of xdmFieldsByPath(properties))
    if (typeof field.type === 'string') types.set(path, field.type);
  return types;
}

/** Converts a scalar to the destination type; `undefined` when it cannot be converted. */
function convert(value: unknown, type: string | undefined): unknown {
  if (type === undefined || value === null || typeof value === 'object') return value;
  switch (type) {
    case 'string':
      return jsonText(value);
    case 'number':
    case 'integer': {
      if (typeof value === 'number') return type === 'integer' && !Number.isInteger(value) ? undefined : value;
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (Number.isNaN(n) || (type === 'integer' && !Number.isInteger(n))) return undefined;
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return undefined;
    default:
      return value;
  }
}

/** The value of a mapping for one row; EXPRESSION supports only literals and plain paths here. */
function sourceValue(mapping: ApplicableMapping, row: unknown): { value: unknown } | { error: string } {
  const source = mapping.source ?? '';
  switch (mapping.sourceType) {
    case 'STATIC':
      return { value: source };
    case 'EXPRESSION':
    case 'text/x.aep-xl': {
      const literal = /^"(.*)"$/.exec(source.trim());
      if (literal !== null) return { value: literal[1] };
      if (/^[A-Za-z_][\w.]*$/.test(source.trim())) return { value: readPath(row, source.trim()) };
      return { error: `The emulator does not evaluate the expression ${source}` };
    }
    default:
      return { value: readPath(row, source) };
  }
}

/**
 * Applies mappings to one source row: attributes are copied by dotted path, statics are
 * written as given, and values are converted to the destination field's type when
 * `types` knows it. A missing source value is skipped unless `allowNullValues`.
 */
export function applyMappings(
  mappings: readonly ApplicableMapping[],
  row: unknown,
  options: { types?: Map<string, string>; allowNullValues?: boolean } = {},
): MappedRecord {
  const data: Record<string, unknown> = {};
  const errors: TransformErrorDto[] = [];
  mappings.forEach((mapping, index) => {
    const destination = mapping.destination ?? '';
    if (destination === '') return;
    const result = sourceValue(mapping, row);
    if ('error' in result) {
      errors.push({
        code: APPLY_ERROR_CODES.UNSUPPORTED_EXPRESSION,
        message: result.error,
        field: `mappings[${index}].source`,
      });
      return;
    }
    if (result.value === undefined || result.value === null) {
      if (options.allowNullValues === true) writePath(data, destination, null);
      return;
    }
    const type = options.types?.get(destinationFieldPath(destination));
    const converted = convert(result.value, type);
    if (converted === undefined) {
      errors.push({
        code: APPLY_ERROR_CODES.TYPE_CONVERSION_FAILED,
        message: `Cannot convert ${JSON.stringify(result.value)} from ${mapping.source ?? ''} to ${type ?? 'unknown'} for ${destination}`,
        field: `mappings[${index}].destination`,
      });
      return;
    }
    writePath(data, destination, converted);
  });
  return { data, errors: errors.length === 0 ? null : errors };
}
