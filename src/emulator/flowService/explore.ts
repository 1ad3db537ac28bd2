import { flowError } from '../errors.ts';
import type { Reply, RouteContext, Router } from '../router.ts';
import type { ConnectionDto, ExploreItemDto, TestConnectionDto } from '../../upstream/flowService/types.ts';
import { SOURCE_KIND } from '../seed/connectionSpecs.ts';
import { FLOW_CODES } from './codes.ts';
import { requireConnection } from './connections.ts';
import { filePreview, tablePreview } from './previewColumns.ts';
import { FILE_TREE, fileSize, findNode, pathSegments, type SourceNode } from './sourceFiles.ts';
import { tablesOf } from './sourceTables.ts';
import { FLOW_SERVICE_BASE_PATH } from '../../upstream/flowService/wire.ts';
import { badRequest } from './replies.ts';

/**
 * `GET /connections/{id}/test` and `GET /connections/{id}/explore` (OpenAPI
 * `TestConnectionResponse`, `ExploreConnectionResponse`; `help/sources/tutorials/api/explore/*`).
 * What a source holds comes from sourceFiles.ts (file sources) and sourceTables.ts (table
 * sources). Provider failures use the documented `FLOW-1100-400` ("Error from flow
 * provider") and `FLOW-1101-404` (resource not found at the provider).
 */

const EXPLORE_PARAMS = new Set([
  'objectType',
  'object',
  'preview',
  'fileType',
  'columnDelimiter',
  'compressionType',
  'encoding',
  // the OpenAPI file's spellings of the same two parameters
  'FileType',
  'CompressionType',
]);
const FILE_TYPES = new Set(['delimited', 'json', 'parquet']);
const COMPRESSIONS = new Set(['bzip2', 'gzip', 'deflate', 'zipdeflate', 'targzip', 'tar']);

const providerError = (message: string) =>
  badRequest(`The request could not be processed. Error from flow provider: ${message}`, FLOW_CODES.PROVIDER_REJECTED);
const providerNotFound = (message: string) =>
  flowError(
    404,
    FLOW_CODES.PROVIDER_NOT_FOUND,
    `The requested resource is not found. Error from flow provider: ${message}`,
  );

/**
 * [EMU] Credentials are "bad" when any auth param is the string `invalid` (any case): the
 * way a test marks a base connection whose source refuses it.
 */
export function hasBadCredentials(conn: ConnectionDto): boolean {
  return Object.values(conn.auth?.params ?? {}).some((v) => typeof v === 'string' && v.toLowerCase() === 'invalid');
}

function test(ctx: RouteContext): Reply {
  const conn = requireConnection(ctx, ctx.params['id']!);
  const body: TestConnectionDto = { result: !hasBadCredentials(conn) };
  return { status: 200, body };
}

function item(node: SourceNode, parent: string): ExploreItemDto {
  const path = `${parent}${node.name}${node.kind === 'folder' ? '/' : ''}`;
  const base = { type: node.kind, name: node.name, path, lastModified: node.modified };
  return node.kind === 'folder'
    ? { ...base, canPreview: false, canFetchSchema: false }
    : { ...base, canPreview: true, canFetchSchema: true, size: fileSize(node) };
}

/** `\t` as the docs write it in a URL, or a real tab; otherwise exactly one character. */
function delimiterOf(raw: string | null): string {
  if (raw === null || raw === '') return ',';
  if (raw === '\\t') return '\t';
  if ([...raw].length !== 1) throw providerError(`columnDelimiter must be a single character, got ${raw.length}.`);
  return raw;
}

function exploreFiles(ctx: RouteContext, objectType: string, object: string | null): Reply {
  if (objectType === 'root') return { status: 200, body: FILE_TREE.children.map((n) => item(n, '/')) };
  if (objectType === 'table') throw providerError('a file source holds files and folders, not tables.');
  if (object === null || object === '') throw badRequest(`object is required with objectType=${objectType}.`);
  const node = findNode(object);
  if (node === undefined) throw providerNotFound(`path ${object} does not exist.`);
  const segments = pathSegments(object);
  if (objectType === 'folder') {
    if (node.kind !== 'folder') throw providerError(`${object} is a file, not a folder; use objectType=file.`);
    const parent = segments.length === 0 ? '/' : `/${segments.join('/')}/`;
    return { status: 200, body: node.children.map((n) => item(n, parent)) };
  }
  if (node.kind !== 'file') throw providerError(`${object} is a folder; only files can be inspected or previewed.`);
  const q = ctx.query;
  const fileTypeParam = q.get('fileType') ?? q.get('FileType');
  const fileType = fileTypeParam?.toLowerCase();
  if (fileType === undefined || fileType === '')
    throw providerError('fileType is required to inspect a file: delimited, json or parquet.');
  if (!FILE_TYPES.has(fileType))
    throw providerError(`fileType ${fileTypeParam} is not supported; use delimited, json or parquet.`);
  if (fileType !== node.content.fileType)
    throw providerError(`${object} cannot be read as ${fileType}: it is a ${node.content.fileType} file.`);
  const compressionParam = q.get('compressionType') ?? q.get('CompressionType');
  const compression = compressionParam?.toLowerCase();
  if (compression !== undefined && !COMPRESSIONS.has(compression))
    throw providerError(
      `compressionType ${compressionParam} is not supported; use bzip2, gzip, deflate, zipDeflate, tarGzip or tar.`,
    );
  const stored = node.content.fileType === 'delimited' ? node.content.compression : undefined;
  if (stored !== undefined && compression !== stored)
    throw providerError(`${object} is compressed (${stored}): give compressionType=${stored}.`);
  if (stored === undefined && compression !== undefined)
    throw providerError(`${object} is not compressed; leave compressionType out.`);
  const withRows = q.get('preview') === 'true';
  return { status: 200, body: filePreview(node.content, delimiterOf(q.get('columnDelimiter')), withRows) };
}

function exploreTables(ctx: RouteContext, conn: ConnectionDto, objectType: string, object: string | null): Reply {
  const tables = tablesOf(conn.connectionSpec.id);
  if (objectType === 'root') {
    const body: ExploreItemDto[] = tables.map((t) => ({
      type: 'table',
      name: t.name,
      path: t.name,
      canPreview: true,
      canFetchSchema: true,
    }));
    return { status: 200, body };
  }
  if (objectType !== 'table')
    throw providerError(`a table source holds tables; objectType ${objectType} does not apply.`);
  if (object === null || object === '') throw badRequest('object is required with objectType=table.');
  const table = tables.find((t) => t.name === object);
  if (table === undefined) throw providerNotFound(`table ${object} does not exist.`);
  return { status: 200, body: tablePreview(table, ctx.query.get('preview') === 'true') };
}

function explore(ctx: RouteContext): Reply {
  const conn = requireConnection(ctx, ctx.params['id']!);
  const unknown = [...new Set(ctx.query.keys())].filter((k) => !EXPLORE_PARAMS.has(k));
  if (unknown.length > 0)
    throw badRequest(`Invalid params ${unknown.join(',')} provided in query params`, FLOW_CODES.QUERY_PARAM_INVALID);
  const objectType = (ctx.query.get('objectType') ?? 'root').toLowerCase();
  if (!['root', 'folder', 'file', 'table'].includes(objectType))
    throw badRequest(`objectType must be one of root, folder, file, table; got ${ctx.query.get('objectType')}.`);
  const kind = SOURCE_KIND[conn.connectionSpec.id];
  if (kind === undefined || kind === 'streaming')
    throw providerError(`connection spec ${conn.connectionSpec.id} has no explore: it is not a batch source.`);
  if (hasBadCredentials(conn)) throw providerError('the source refused the credentials of this connection.');
  const object = ctx.query.get('object');
  return kind === 'file' ? exploreFiles(ctx, objectType, object) : exploreTables(ctx, conn, objectType, object);
}

export function registerExplore(router: Router): void {
  const base = `${FLOW_SERVICE_BASE_PATH}/connections/:id`;
  router.add('flowService', 'GET', `${base}/test`, test);
  router.add('flowService', 'GET', `${base}/explore`, explore);
}
