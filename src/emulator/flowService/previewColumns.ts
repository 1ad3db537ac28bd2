import type { ExploreColumnDto, ExplorePreviewDto } from '../../upstream/flowService/types.ts';
import type { FileContent } from './sourceFiles.ts';
import type { ColumnType, SourceTable, TableColumn } from './sourceTables.ts';

/**
 * The structure and rows of a file or table as `explore … preview=true` answers them
 * (`{format, schema:{columns}, data}`, the documented tabular inspect shape): columns typed
 * as the docs show (`integer` with its int32 range, `string` + `meta:xdmType` for instants).
 */

type Row = Record<string, unknown>;

const INT32 = { minimum: -2147483648, maximum: 2147483647 };

export function columnDto(name: string, type: ColumnType): ExploreColumnDto {
  switch (type) {
    case 'date-time':
      return { name, type: 'string', 'meta:xdmType': 'date-time', xdm: { type: 'string', format: 'date-time' } };
    case 'integer':
      return { name, type: 'integer', xdm: { type: 'integer', ...INT32 } };
    default:
      return { name, type, xdm: { type } };
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The narrowest type every value of a column fits. */
function inferType(values: string[]): ColumnType {
  const present = values.filter((v) => v !== '');
  if (present.length === 0) return 'string';
  if (present.every((v) => /^-?\d+$/.test(v))) return 'integer';
  if (present.every((v) => v.trim() !== '' && Number.isFinite(Number(v)))) return 'number';
  if (present.every((v) => v === 'true' || v === 'false')) return 'boolean';
  if (present.every((v) => ISO_INSTANT.test(v))) return 'date-time';
  return 'string';
}

function typed(value: string, type: ColumnType): unknown {
  if (value === '') return null;
  if (type === 'integer' || type === 'number') return Number(value);
  if (type === 'boolean') return value === 'true';
  return value;
}

function fromDelimited(text: string, delimiter: string): { columns: ExploreColumnDto[]; data: Row[] } {
  const [header = '', ...lines] = text.split('\n').filter((l) => l !== '');
  const names = header.split(delimiter);
  const cells = lines.map((l) => l.split(delimiter));
  const types = names.map((_, c) => inferType(cells.map((r) => r[c] ?? '')));
  const data = cells.map((r) => Object.fromEntries(names.map((n, c) => [n, typed(r[c] ?? '', types[c]!)])));
  return { columns: names.map((n, c) => columnDto(n, types[c]!)), data };
}

/** Nested JSON objects become dotted columns (`person.name.firstName`), as a flat preview shows them. */
function flatten(record: Row, prefix = '', out: Row = {}): Row {
  for (const [key, value] of Object.entries(record)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) flatten(value as Row, path, out);
    else out[path] = value;
  }
  return out;
}

function jsonType(values: unknown[]): ColumnType {
  if (values.every((v) => Number.isInteger(v))) return 'integer';
  if (values.every((v) => typeof v === 'number')) return 'number';
  if (values.every((v) => typeof v === 'boolean')) return 'boolean';
  if (values.every((v) => typeof v === 'string' && ISO_INSTANT.test(v))) return 'date-time';
  return 'string';
}

function fromJson(records: Row[]): { columns: ExploreColumnDto[]; data: Row[] } {
  const data = records.map((r) => flatten(r));
  const names = [...new Set(data.flatMap((r) => Object.keys(r)))];
  return { columns: names.map((n) => columnDto(n, jsonType(data.map((r) => r[n])))), data };
}

function fromColumns(columns: TableColumn[], rowCount: number): { columns: ExploreColumnDto[]; data: Row[] } {
  const data = Array.from({ length: rowCount }, (_, i) => Object.fromEntries(columns.map((c) => [c.name, c.value(i)])));
  return { columns: columns.map((c) => columnDto(c.name, c.type)), data };
}

export function filePreview(content: FileContent, delimiter: string, withRows: boolean): ExplorePreviewDto {
  const { columns, data } =
    content.fileType === 'delimited'
      ? fromDelimited(content.text, delimiter)
      : content.fileType === 'json'
        ? fromJson(content.records)
        : fromColumns(content.columns, content.rowCount);
  return { format: 'flat', schema: { columns }, ...(withRows ? { data } : {}) };
}

export function tablePreview(table: SourceTable, withRows: boolean): ExplorePreviewDto {
  const { columns, data } = fromColumns(table.columns, table.rowCount);
  return { format: 'flat', schema: { columns }, ...(withRows ? { data } : {}) };
}
