import { randomUUID } from 'node:crypto';
import type { Context } from '../context.ts';
import type { Credentials } from '../upstream/credentials.ts';
import type { IdEtagDto } from '../upstream/flowService/types.ts';
import type { XdmResourceDto } from '../upstream/schemaRegistry/types.ts';

/**
 * Markers on what a mutation creates, so that when a write's answer is lost (a reset after
 * the request was sent) the saga can look the resource up and know whether the write
 * happened. One marker per attempt: a later call never mistakes another call's resources
 * for its own. Where a marker sits, per service:
 *
 * - Flow Service connections: the description (`Created by ingestion-graph write <marker>`),
 *   found with `property=description==...` (the Flow Service filters by equality only);
 * - flows: none needed, a flow is found by the source connection it was created on;
 * - Catalog datasets: a tag `ingestion-graph: [<marker>]`, found with `tags=`;
 * - Schema Registry schemas: appended to the description, found with `property=description~`;
 * - Data Prep mapping sets: the name, found with `name=`.
 */

export const MARKER_TAG = 'ingestion-graph';

export function newWriteMarker(): string {
  return `ig-${randomUUID()}`;
}

/** The description of the connections this API creates. */
export function markedDescription(marker: string): string {
  return `Created by ingestion-graph write ${marker}`;
}

export function markedSchemaDescription(description: string, marker: string): string {
  return `${description} [${marker}]`;
}

const property = (marker: string) => ({ property: [`description==${markedDescription(marker)}`], limit: 10 });

export async function findSourceConnection(
  ctx: Context,
  c: Credentials,
  marker: string,
): Promise<IdEtagDto | undefined> {
  return (await ctx.clients.flowService.listSourceConnections(c, property(marker))).items[0];
}

export async function findTargetConnection(
  ctx: Context,
  c: Credentials,
  marker: string,
): Promise<IdEtagDto | undefined> {
  return (await ctx.clients.flowService.listTargetConnections(c, property(marker))).items[0];
}

export async function findConnection(ctx: Context, c: Credentials, marker: string): Promise<IdEtagDto | undefined> {
  return (await ctx.clients.flowService.listConnections(c, property(marker))).items[0];
}

/** The flow created on a source connection this call created: no other flow can use it yet. */
export async function findFlowOn(
  ctx: Context,
  c: Credentials,
  sourceConnectionId: string,
): Promise<IdEtagDto | undefined> {
  return (await ctx.clients.flowService.listFlowsBySourceConnectionIds(c, [sourceConnectionId]))[0];
}

export async function findDataset(ctx: Context, c: Credentials, marker: string): Promise<string | undefined> {
  const page = await ctx.clients.catalog.listDataSets(c, {
    limit: 10,
    properties: ['name'],
    filters: { tags: `${MARKER_TAG}:${marker}` },
  });
  return page.items[0]?.id;
}

export async function findSchema(ctx: Context, c: Credentials, marker: string): Promise<XdmResourceDto | undefined> {
  const registry = ctx.clients.schemaRegistry;
  const page = await registry.listSchemas(c, { property: [`description~${marker}`] });
  const summary = page.results[0];
  if (summary === undefined) return undefined;
  return (await registry.getSchema(c, summary.$id)) ?? undefined;
}

export async function findMappingSet(
  ctx: Context,
  c: Credentials,
  marker: string,
): Promise<{ id: string; version: number } | undefined> {
  const list = await ctx.clients.dataPrep.listMappingSets(c, { limit: 10, start: 0, name: marker });
  const found = list.data[0];
  return found === undefined ? undefined : { id: found.id, version: found.version };
}
