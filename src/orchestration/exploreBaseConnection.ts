import type { Context } from '../context.ts';
import type { SourceObject, SourceObjectType } from '../generated/graphql.ts';
import type { ConnectionDto, ConnectionSpecDto, ExploreItemDto } from '../upstream/flowService/types.ts';
import { isNotFound } from '../upstream/http.ts';
import { upstreamRejection, userError, type UserError } from './userErrors.ts';

export type ExploreKind = 'file' | 'table';

/** How a source is explored, from its connection spec's source params (path vs tableName). */
export function exploreKindOf(spec: ConnectionSpecDto | null): ExploreKind | undefined {
  if (spec?.exploreSpec === undefined) return undefined;
  const properties = spec.sourceSpec?.spec['properties'] as Record<string, unknown> | undefined;
  if (properties?.['tableName'] !== undefined) return 'table';
  if (properties?.['path'] !== undefined) return 'file';
  return undefined;
}

/** The kind of a base connection's source, or the user error saying it cannot be explored. */
export async function exploreKindOfConnection(
  ctx: Context,
  conn: ConnectionDto,
  at: readonly string[],
): Promise<{ kind?: ExploreKind; userErrors: UserError[] }> {
  const spec = await ctx.loaders.connectionSpecById.load(conn.connectionSpec.id);
  const kind = exploreKindOf(spec);
  if (kind !== undefined) return { kind, userErrors: [] };
  return {
    userErrors: [
      userError(
        [...at],
        'WRONG_KIND',
        `Base connection ${conn.id} (connection spec ${spec?.name ?? conn.connectionSpec.id}) has nothing to explore: only batch file and table sources do`,
      ),
    ],
  };
}

/** An explore or preview failure at the provider: 404 is a path that does not exist, other 4xx a refusal. */
export function exploreRejection(err: unknown, at: readonly string[], path: string): UserError | undefined {
  if (isNotFound(err))
    return userError(
      [...at],
      'NOT_FOUND',
      `${path} does not exist in the source${err.upstreamMessage === undefined ? '' : ` (${err.upstreamMessage})`}`,
    );
  return upstreamRejection(err, at);
}

const TYPES: Record<string, SourceObjectType> = { file: 'FILE', folder: 'FOLDER', table: 'TABLE' };

function toSourceObject(item: ExploreItemDto): SourceObject {
  const type = TYPES[item.type.toLowerCase()] ?? 'FILE';
  return {
    name: item.name,
    path: item.path,
    type,
    size: item.size ?? null,
    modifiedAt: item.lastModified === undefined ? null : new Date(item.lastModified).toISOString(),
    canPreview: item.canPreview ?? type !== 'FOLDER',
  };
}

export interface ExploreOutcome {
  path: string;
  objects: SourceObject[] | null;
  userErrors: UserError[];
}

/**
 * What a source holds at a path: `objectType=root` without one, `objectType=folder` with
 * one (file sources); table sources list their tables at the root only.
 */
export async function exploreBaseConnection(
  ctx: Context,
  conn: ConnectionDto,
  path: string | null | undefined,
): Promise<ExploreOutcome> {
  const atRoot = path === null || path === undefined || path === '' || path === '/';
  const shown = atRoot ? '/' : path;
  const { kind, userErrors } = await exploreKindOfConnection(ctx, conn, ['path']);
  if (kind === undefined) return { path: shown, objects: null, userErrors };
  if (kind === 'table' && !atRoot)
    return {
      path: shown,
      objects: null,
      userErrors: [
        userError(
          ['path'],
          'WRONG_KIND',
          `Base connection ${conn.id} is a table source: its tables are listed at the root; preview one by its name`,
        ),
      ],
    };
  try {
    const answer = await ctx.clients.flowService.exploreConnection(
      ctx.credentials,
      conn.id,
      atRoot ? { objectType: 'root' } : { objectType: 'folder', object: path },
    );
    const items = Array.isArray(answer) ? answer : [];
    return { path: shown, objects: items.map(toSourceObject), userErrors: [] };
  } catch (err) {
    const rejection = exploreRejection(err, ['path'], shown);
    if (rejection === undefined) throw err;
    return { path: shown, objects: null, userErrors: [rejection] };
  }
}
