import type { Context } from '../context.ts';
import type { PreviewCompression, PreviewFileType } from '../generated/graphql.ts';
import type { ConnectionDto, ExploreColumnDto, ExploreQueryDto } from '../upstream/flowService/types.ts';
import { exploreKindOfConnection, exploreRejection } from './exploreBaseConnection.ts';
import { userError, type UserError } from './userErrors.ts';

/** Rows a preview returns at most; the Flow Service sends its own sample, cut here. */
export const MAX_PREVIEW_ROWS = 100;

export interface PreviewArgs {
  path: string;
  fileType?: PreviewFileType | null;
  delimiter?: string | null;
  compression?: PreviewCompression | null;
  rows?: number | null;
}

export interface PreviewOutcome {
  path: string;
  /** As Flow Service describes them; the graph maps their types onto the schema's enums. */
  columns: ExploreColumnDto[] | null;
  rows: Array<Record<string, unknown>> | null;
  userErrors: UserError[];
}

/** The docs' `compressionType` spellings (`help/sources/tutorials/api/explore/cloud-storage.md`). */
const COMPRESSION: Record<PreviewCompression, string> = {
  BZIP2: 'bzip2',
  GZIP: 'gzip',
  DEFLATE: 'deflate',
  ZIP_DEFLATE: 'zipDeflate',
  TAR_GZIP: 'tarGzip',
  TAR: 'tar',
};

function checkArgs(args: PreviewArgs): UserError[] {
  const errors: UserError[] = [];
  if (args.path.trim() === '') errors.push(userError(['path'], 'REQUIRED', 'path must name a file or a table'));
  const rows = args.rows ?? 10;
  if (!Number.isInteger(rows) || rows < 0 || rows > MAX_PREVIEW_ROWS)
    errors.push(userError(['rows'], 'INVALID', `rows must be an integer from 0 to ${MAX_PREVIEW_ROWS}, got ${rows}`));
  if (args.delimiter != null && [...args.delimiter].length !== 1)
    errors.push(userError(['delimiter'], 'INVALID', 'delimiter must be exactly one character'));
  if (args.delimiter != null && args.fileType != null && args.fileType !== 'DELIMITED')
    errors.push(
      userError(['delimiter'], 'NOT_ALLOWED', `A delimiter applies to DELIMITED files, not ${args.fileType}`),
    );
  return errors;
}

/**
 * A file's or table's columns and first rows: `explore?objectType=file|table&object=…&preview=true`
 * with `fileType`, `columnDelimiter` and `compressionType` for files.
 */
export async function previewBaseConnection(
  ctx: Context,
  conn: ConnectionDto,
  args: PreviewArgs,
): Promise<PreviewOutcome> {
  const none = (userErrors: UserError[]): PreviewOutcome => ({
    path: args.path,
    columns: null,
    rows: null,
    userErrors,
  });
  const argErrors = checkArgs(args);
  if (argErrors.length > 0) return none(argErrors);
  const { kind, userErrors } = await exploreKindOfConnection(ctx, conn, ['path']);
  if (kind === undefined) return none(userErrors);
  const query: ExploreQueryDto =
    kind === 'table'
      ? { objectType: 'table', object: args.path, preview: true }
      : {
          objectType: 'file',
          object: args.path,
          preview: true,
          fileType: (args.fileType ?? 'DELIMITED').toLowerCase(),
          ...(args.delimiter == null ? {} : { columnDelimiter: args.delimiter }),
          ...(args.compression == null ? {} : { compressionType: COMPRESSION[args.compression] }),
        };
  try {
    const answer = await ctx.clients.flowService.exploreConnection(ctx.credentials, conn.id, query);
    const columns = Array.isArray(answer) ? (answer as unknown as ExploreColumnDto[]) : answer.schema.columns;
    const data = Array.isArray(answer) ? [] : (answer.data ?? []);
    return { path: args.path, columns, rows: data.slice(0, args.rows ?? 10), userErrors: [] };
  } catch (err) {
    const rejection = exploreRejection(err, ['path'], args.path);
    if (rejection === undefined) throw err;
    return none([rejection]);
  }
}
