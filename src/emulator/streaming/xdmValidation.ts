import { jsonText } from '../jsonText.ts';
import type { XdmFieldDto } from '../../upstream/schemaRegistry/types.ts';

/** One violation, in the shape of the JSON schema validator behind DCS (§6.2). */
export interface SchemaViolation {
  schemaLocation: string;
  pointerToViolation: string;
  causingExceptions: [];
  keyword: string;
  message: string;
}

/** The resolved schema an entity is checked against: the `xed-full` `properties` tree. */
export interface EntitySchema {
  properties?: Record<string, XdmFieldDto>;
  required?: string[];
}

/** DCS stops validating a message after five errors (§6.2). */
export const MAX_VIOLATIONS = 5;

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The Java type names the validator reports (`expected type: String, found: Long`). */
function javaType(value: unknown): string {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'JSONArray';
  switch (typeof value) {
    case 'string':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'number':
      if (!Number.isInteger(value)) return 'Double';
      return Math.abs(value) <= 2 ** 31 - 1 ? 'Integer' : 'Long';
    default:
      return 'JSONObject';
  }
}

const EXPECTED: Record<string, string> = {
  string: 'String',
  number: 'Number',
  integer: 'Integer',
  boolean: 'Boolean',
  object: 'JSONObject',
  array: 'JSONArray',
};

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    default:
      return true;
  }
}

class Collector {
  readonly violations: SchemaViolation[] = [];

  get full(): boolean {
    return this.violations.length >= MAX_VIOLATIONS;
  }

  add(schemaLocation: string, pointerToViolation: string, keyword: string, message: string): void {
    if (!this.full)
      this.violations.push({ schemaLocation, pointerToViolation, causingExceptions: [], keyword, message });
  }
}

function checkFormat(field: XdmFieldDto, value: string, location: string, pointer: string, out: Collector): void {
  if (field.format === 'date-time' && !DATE_TIME.test(value))
    out.add(location, pointer, 'format', `[${value}] is not a valid date-time`);
  if (field.format === 'date' && !DATE.test(value))
    out.add(location, pointer, 'format', `[${value}] is not a valid date`);
  if (field.format === 'email' && !EMAIL.test(value))
    out.add(location, pointer, 'format', `[${value}] is not a valid email address`);
  const pattern = field['pattern'];
  if (typeof pattern === 'string' && !new RegExp(pattern, 'u').test(value)) {
    out.add(location, pointer, 'pattern', `string [${value}] does not match pattern ${pattern}`);
  }
  const maxLength = field['maxLength'];
  if (typeof maxLength === 'number' && value.length > maxLength)
    out.add(location, pointer, 'maxLength', `expected maxLength: ${maxLength}, actual: ${value.length}`);
  const minLength = field['minLength'];
  if (typeof minLength === 'number' && value.length < minLength)
    out.add(location, pointer, 'minLength', `expected minLength: ${minLength}, actual: ${value.length}`);
}

function checkRange(field: XdmFieldDto, value: number, location: string, pointer: string, out: Collector): void {
  const minimum = field['minimum'];
  if (typeof minimum === 'number' && value < minimum)
    out.add(location, pointer, 'minimum', `${value} is not greater or equal to ${minimum}`);
  const maximum = field['maximum'];
  if (typeof maximum === 'number' && value > maximum)
    out.add(location, pointer, 'maximum', `${value} is not less or equal to ${maximum}`);
}

function checkObject(
  schema: EntitySchema & XdmFieldDto,
  value: Record<string, unknown>,
  location: string,
  pointer: string,
  out: Collector,
): void {
  const properties = schema.properties ?? {};
  const additional = schema['additionalProperties'];
  for (const [key, child] of Object.entries(value)) {
    if (out.full) return;
    const field = properties[key];
    if (field !== undefined) checkValue(field, child, `${location}/properties/${key}`, `${pointer}/${key}`, out);
    else if (typeof additional === 'object' && additional !== null) {
      checkValue(additional as XdmFieldDto, child, `${location}/additionalProperties`, `${pointer}/${key}`, out);
    } else if (additional !== true)
      out.add(location, pointer, 'additionalProperties', `extraneous key [${key}] is not permitted`);
  }
  const required = Array.isArray(schema['required']) ? (schema['required'] as unknown[]) : [];
  for (const key of required) {
    if (typeof key === 'string' && value[key] === undefined)
      out.add(location, pointer, 'required', `required key [${key}] not found`);
  }
}

function checkValue(field: XdmFieldDto, value: unknown, location: string, pointer: string, out: Collector): void {
  // Nulls are accepted for any field: XDM fields are nullable unless required.
  if (out.full || value === null) return;
  const type = field.type ?? (field.properties !== undefined ? 'object' : undefined);
  if (type !== undefined && !typeMatches(type, value)) {
    out.add(location, pointer, 'type', `expected type: ${EXPECTED[type] ?? type}, found: ${javaType(value)}`);
    return;
  }
  if (Array.isArray(field.enum) && !field.enum.includes(value))
    out.add(location, pointer, 'enum', `${jsonText(value)} is not a valid enum value`);
  if (typeof value === 'string') checkFormat(field, value, location, pointer, out);
  else if (typeof value === 'number') checkRange(field, value, location, pointer, out);
  else if (Array.isArray(value)) {
    if (field.items !== undefined)
      value.forEach((item, i) => checkValue(field.items!, item, `${location}/items`, `${pointer}/${i}`, out));
  } else if (typeof value === 'object') checkObject(field, value as Record<string, unknown>, location, pointer, out);
}

/**
 * Checks an `xdmEntity` against its resolved schema: type, format (date-time, date,
 * email), enum, pattern, range, unknown keys and required keys. Stops at five violations.
 */
export function validateXdmEntity(schema: EntitySchema, entity: Record<string, unknown>): SchemaViolation[] {
  const out = new Collector();
  checkObject(schema as EntitySchema & XdmFieldDto, entity, '#', '#', out);
  return out.violations;
}

/** The `report.cause` of a sync validation failure (§6.2). */
export function streamingValidationCause(violations: SchemaViolation[]): unknown {
  return {
    _streamingValidation: [
      {
        schemaLocation: '#',
        pointerToViolation: '#',
        causingExceptions: violations,
        message: `${violations.length} schema violation${violations.length === 1 ? '' : 's'} found`,
      },
    ],
  };
}
