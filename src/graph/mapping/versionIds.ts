import { badInput } from '../../errors.ts';

/** `MappingSet.id`: one version of a set, `<mappingSetId>@<version>`. */
export function mappingSetVersionId(mappingSetId: string, version: number): string {
  return `${mappingSetId}@${version}`;
}

const VERSION_ID = /^(.+)@(0|[1-9]\d{0,8})$/;

/**
 * The version `mappingSet(id, version)` reads: a Data Prep id with an optional version, or
 * a `MappingSet.id`, whose version must agree with `version` when both are given.
 */
export function mappingSetKey(id: string, version: number | null | undefined): { id: string; version?: number } {
  if (version !== null && version !== undefined && (!Number.isInteger(version) || version < 0))
    throw badInput('version', `must be a version from 0, got ${version}`);
  const named = VERSION_ID.exec(id);
  if (named === null) return { id, version: version ?? undefined };
  const own = Number(named[2]);
  if (version !== null && version !== undefined && version !== own)
    throw badInput('version', `${version} contradicts the version ${own} that id ${id} names`);
  return { id: named[1]!, version: own };
}
