import { jsonText } from '../jsonText.ts';
import type { SourceKind } from '../seed/connectionSpecs.ts';
import { badRequest } from './replies.ts';

type Json = Record<string, unknown>;

const FILE_FORMATS = ['delimited', 'json', 'parquet'];
const COMPRESSION_TYPES = ['bzip2', 'gzip', 'deflate', 'zipDeflate', 'tarGzip', 'tar'];
const ENCODINGS = ['UTF-8', 'ISO-8859-1'];

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function formatOf(data: Json): string {
  const format = data['format'];
  if (typeof format !== 'string' || format === '') throw badRequest('data.format is required.');
  return format.toLowerCase();
}

/** File sources (§9.1): format delimited|json|parquet, `params.path`, type file|folder, data.properties rules. */
function checkFile(data: Json, params: Json): void {
  const format = formatOf(data);
  if (!FILE_FORMATS.includes(format))
    throw badRequest(
      `data.format must be one of ${FILE_FORMATS.join(', ')} for a file source, got "${String(data['format'])}".`,
    );
  if (typeof params['path'] !== 'string' || params['path'] === '')
    throw badRequest('params.path is required for a file source.');
  if (params['type'] !== undefined && params['type'] !== 'file' && params['type'] !== 'folder') {
    throw badRequest(`params.type must be "file" or "folder", got ${JSON.stringify(params['type'])}.`);
  }
  const props = data['properties'];
  if (props === undefined) return;
  if (!isRecord(props)) throw badRequest('data.properties must be an object.');
  const { compressionType, encoding, columnDelimiter } = props;
  if (compressionType !== undefined && !COMPRESSION_TYPES.includes(jsonText(compressionType))) {
    throw badRequest(
      `data.properties.compressionType must be one of ${COMPRESSION_TYPES.join(', ')}, got ${JSON.stringify(compressionType)}.`,
    );
  }
  if (encoding !== undefined && !ENCODINGS.includes(jsonText(encoding).toUpperCase())) {
    throw badRequest(
      `data.properties.encoding must be one of ${ENCODINGS.join(', ')}, got ${JSON.stringify(encoding)}.`,
    );
  }
  if (columnDelimiter !== undefined && (typeof columnDelimiter !== 'string' || [...columnDelimiter].length !== 1)) {
    throw badRequest(
      `data.properties.columnDelimiter must be a single character, got ${JSON.stringify(columnDelimiter)}.`,
    );
  }
}

/** Table sources: format tabular and a table name (`path` accepted as an alias, §10.4 notes). */
function checkTable(data: Json, params: Json): void {
  if (formatOf(data) !== 'tabular')
    throw badRequest(`data.format must be "tabular" for a table source, got "${String(data['format'])}".`);
  const table = params['tableName'] ?? params['path'];
  if (typeof table !== 'string' || table === '') throw badRequest('params.tableName is required for a table source.');
}

/**
 * `data` and `params` of a source connection by source kind. The HTTP API takes neither;
 * other streaming sources send json and their stream params (Kinesis, Event Hubs, PubSub).
 */
export function checkSourceData(kind: SourceKind, isHttpApi: boolean, data: unknown, params: unknown): void {
  if (isHttpApi) return;
  if (!isRecord(data)) throw badRequest('data is required and must be an object with a format.');
  const p = params === undefined ? {} : params;
  if (!isRecord(p)) throw badRequest('params must be an object.');
  if (kind === 'file') checkFile(data, p);
  else if (kind === 'table') checkTable(data, p);
  else if (formatOf(data) !== 'json')
    throw badRequest(`data.format must be "json" for a streaming source, got "${String(data['format'])}".`);
}
