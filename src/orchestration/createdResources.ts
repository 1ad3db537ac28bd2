import type { Credentials } from '../upstream/credentials.ts';
import type { CreateDataSetDto } from '../upstream/catalog/types.ts';
import type {
  AuditDto,
  ConnectionDto,
  CreateFlowDto,
  CreateSourceConnectionDto,
  CreateTargetConnectionDto,
  FlowDto,
  IdEtagDto,
  SourceConnectionDto,
  TargetConnectionDto,
} from '../upstream/flowService/types.ts';
import type { DatasetModel } from '../graph/models.ts';
import { adobeIdOf } from '../upstream/ims/wire.ts';

/**
 * The objects a write created, from the body that was sent and what the service answered,
 * so a mutation's payload can show them without reading each back. Server-set fields the
 * answer does not carry (timestamps, authors) are this API's view at the time of the write.
 */
function audit(c: Credentials, created: IdEtagDto, now: number): AuditDto {
  return {
    id: created.id,
    etag: created.etag,
    version: created.etag,
    createdAt: now,
    updatedAt: now,
    createdBy: adobeIdOf(c.apiKey),
    updatedBy: adobeIdOf(c.apiKey),
    createdClient: c.apiKey,
    updatedClient: c.apiKey,
    sandboxId: '',
    sandboxName: c.sandbox,
    imsOrgId: c.orgId,
  };
}

export function createdSourceConnection(
  c: Credentials,
  body: CreateSourceConnectionDto,
  created: IdEtagDto,
  base: ConnectionDto | undefined,
  now: number,
): SourceConnectionDto {
  return {
    ...audit(c, created, now),
    ...body,
    state: 'enabled',
    ...(base === undefined
      ? {}
      : { inheritedAttributes: { baseConnection: { id: base.id, connectionSpec: base.connectionSpec } } }),
  };
}

export function createdTargetConnection(
  c: Credentials,
  body: CreateTargetConnectionDto,
  created: IdEtagDto,
  now: number,
): TargetConnectionDto {
  return { ...audit(c, created, now), ...body, state: 'enabled' };
}

export function createdFlow(
  c: Credentials,
  body: CreateFlowDto,
  created: IdEtagDto,
  sources: readonly SourceConnectionDto[],
  targets: readonly TargetConnectionDto[],
  now: number,
): FlowDto {
  return {
    ...audit(c, created, now),
    name: body.name,
    ...(body.description === undefined ? {} : { description: body.description }),
    flowSpec: body.flowSpec,
    state: 'enabled',
    sourceConnectionIds: body.sourceConnectionIds,
    targetConnectionIds: body.targetConnectionIds,
    inheritedAttributes: {
      sourceConnections: sources.map((s) => ({
        id: s.id,
        connectionSpec: s.connectionSpec,
        ...(s.inheritedAttributes?.baseConnection === undefined
          ? {}
          : { baseConnection: s.inheritedAttributes.baseConnection }),
      })),
      targetConnections: targets.map((t) => ({ id: t.id, connectionSpec: t.connectionSpec })),
    },
    ...(body.scheduleParams === undefined ? {} : { scheduleParams: body.scheduleParams }),
    transformations: body.transformations ?? [],
    runs: `/runs?property=flowId==${created.id}`,
    lastOperation: { started: now, updated: now, operation: 'create' },
  };
}

export function createdDataset(c: Credentials, id: string, body: CreateDataSetDto, now: number): DatasetModel {
  return {
    id,
    dto: {
      ...body,
      imsOrg: c.orgId,
      version: '1.0.0',
      created: now,
      updated: now,
      createdClient: c.apiKey,
      createdUser: adobeIdOf(c.apiKey),
      updatedUser: adobeIdOf(c.apiKey),
    },
  };
}
