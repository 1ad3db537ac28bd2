import type { JsonSchemaDto } from './types.ts';

/**
 * The subset of JSON Schema the flow specs use (schedule, run params, transformations):
 * type, enum, const, minimum, exclusiveMinimum, required, properties, items, if/then/else,
 * not, allOf, anyOf. Scalars are lenient because the docs send numbers as strings
 * (`"interval":"15"`, CONTRACT §2.5): an integer may be a numeric string, a boolean may be
 * "true"/"false", and a string may be a number.
 */
export interface SchemaViolation {
  /** JSON pointer into the validated value, `''` for the root. */
  pointer: string;
  message: string;
}

type Schema = JsonSchemaDto;

const asNumber = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(asNumber(value));
    case 'number':
      return asNumber(value) !== undefined;
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    case 'string':
      return typeof value === 'string' || typeof value === 'number';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return true;
  }
}

/** Equality for enum/const under the same leniency: `"15"` equals `15`. */
const sameValue = (a: unknown, b: unknown): boolean =>
  a === b ||
  ((typeof a === 'number' || typeof a === 'string') &&
    (typeof b === 'number' || typeof b === 'string') &&
    String(a) === String(b));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Says what a `not` sub-schema forbids, for messages like "property 'interval' is not allowed". */
function describeNot(schema: Schema): string {
  const required = schema['required'];
  if (Array.isArray(required) && Object.keys(schema).length === 1) {
    return required.length === 1
      ? `property '${String(required[0])}' is not allowed`
      : `properties ${required.join(', ')} are not allowed together`;
  }
  return `must not match ${JSON.stringify(schema)}`;
}

export function validateSchema(schema: Schema, value: unknown, pointer = ''): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const fail = (message: string, at = pointer) => out.push({ pointer: at, message });

  const type = schema['type'];
  if (typeof type === 'string' && !hasType(value, type)) {
    fail(`must be of type ${type}`);
    return out;
  }
  if (Array.isArray(schema['enum']) && !schema['enum'].some((e) => sameValue(e, value))) {
    fail(`must be one of ${schema['enum'].map(String).join(', ')}`);
  }
  if ('const' in schema && !sameValue(schema['const'], value)) fail(`must be ${JSON.stringify(schema['const'])}`);
  const n = asNumber(value);
  if (typeof schema['minimum'] === 'number' && n !== undefined && n < schema['minimum'])
    fail(`must be >= ${schema['minimum']}`);
  if (typeof schema['exclusiveMinimum'] === 'number' && n !== undefined && n <= schema['exclusiveMinimum']) {
    fail(`must be > ${schema['exclusiveMinimum']}`);
  }
  if (isObject(value)) {
    if (Array.isArray(schema['required'])) {
      for (const key of schema['required'] as string[])
        if (value[key] === undefined) fail(`property '${key}' is required`, `${pointer}/${key}`);
    }
    if (isObject(schema['properties'])) {
      for (const [key, sub] of Object.entries(schema['properties'])) {
        if (value[key] !== undefined && isObject(sub))
          out.push(...validateSchema(sub, value[key], `${pointer}/${key}`));
      }
    }
  }
  if (Array.isArray(value) && isObject(schema['items'])) {
    value.forEach((item, i) => out.push(...validateSchema(schema['items'] as Schema, item, `${pointer}/${i}`)));
  }
  if (isObject(schema['if'])) {
    const branch = validateSchema(schema['if'], value, pointer).length === 0 ? schema['then'] : schema['else'];
    if (isObject(branch)) out.push(...validateSchema(branch, value, pointer));
  }
  if (isObject(schema['not']) && validateSchema(schema['not'], value, pointer).length === 0)
    fail(describeNot(schema['not']));
  if (Array.isArray(schema['allOf'])) {
    for (const sub of schema['allOf']) if (isObject(sub)) out.push(...validateSchema(sub, value, pointer));
  }
  if (Array.isArray(schema['anyOf'])) {
    const branches = schema['anyOf'].filter(isObject).map((sub) => validateSchema(sub, value, pointer));
    if (branches.length > 0 && branches.every((b) => b.length > 0)) {
      fail(`must match one of: ${branches.map((b) => b.map((v) => v.message).join(' and ')).join('; or ')}`);
    }
  }
  return out;
}

/** One line per violation, `field: message`, for error bodies. */
export function describeViolations(root: string, violations: readonly SchemaViolation[]): string {
  return violations.map((v) => `${root}${v.pointer.replaceAll('/', '.')}: ${v.message}`).join('; ');
}
