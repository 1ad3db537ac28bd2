import type {
  ConnectionDto,
  FlowDto,
  ScheduleParamsDto,
  SourceConnectionDto,
  TargetConnectionDto,
  TransformationDto,
} from '../../../upstream/flowService/types.ts';
import { DATA_LAKE_CONNECTION_SPEC_ID, FLOW_SPEC_IDS } from '../../../upstream/flowService/types.ts';
import { completedOperation } from '../../flowService/lastOperation.ts';
import { FAIL_MARKER } from '../../runs/runPlan.ts';
import { SOURCE_KIND } from '../connectionSpecs.ts';
import { DAY_MS, HOUR_MS, demoAudit, type DemoContext } from './context.ts';
import type { DemoConnectionKey } from './connections.ts';
import type { DemoDataSet, DemoDataSetKey } from './dataSets.ts';
import type { DemoFlowDef } from './flowDefs.ts';
import { demoMappingSet, sourceColumns } from './mappings.ts';
import type { DemoSchemas } from './xdm.ts';
import { SCHEMA_REF_CONTENT_TYPE } from '../../../upstream/schemaRegistry/wire.ts';
import { SCHEDULE_UNIT_MS } from '../../../upstream/flowService/wire.ts';

/** What each frequency's start is aligned to (`once` to the day). */
const UNIT_MS = { once: DAY_MS, ...SCHEDULE_UNIT_MS } as const;
/** How far back each frequency's schedule starts, so the history covers about two days (more for rare schedules). */
const HISTORY_MS = {
  once: 3 * DAY_MS,
  minute: 2 * DAY_MS,
  hour: 2 * DAY_MS,
  day: 7 * DAY_MS,
  week: 8 * 7 * DAY_MS,
} as const;

export interface DemoFlow {
  def: DemoFlowDef;
  flow: FlowDto;
}

interface Refs {
  schemas: DemoSchemas;
  dataSets: Record<DemoDataSetKey, DemoDataSet>;
  connections: Record<DemoConnectionKey, ConnectionDto>;
}

function flowSpecIdOf(conn: ConnectionDto): string {
  const kind = SOURCE_KIND[conn.connectionSpec.id];
  if (kind === 'file') return FLOW_SPEC_IDS.cloudStorageToAep;
  if (kind === 'table') return FLOW_SPEC_IDS.crmToAep;
  return conn.auth?.params['dataType'] === 'raw'
    ? FLOW_SPEC_IDS.streamWithTransformation
    : FLOW_SPEC_IDS.streamWithoutTransformation;
}

function scheduleOf(ctx: DemoContext, def: DemoFlowDef): ScheduleParamsDto | undefined {
  if (def.schedule === undefined) return undefined;
  const unit = UNIT_MS[def.schedule.frequency];
  const aligned = Math.floor(ctx.now / unit) * unit;
  const startMs = def.future === true ? aligned + DAY_MS : aligned - HISTORY_MS[def.schedule.frequency];
  const startTime = Math.floor(startMs / 1000);
  if (def.schedule.frequency === 'once') return { startTime, frequency: 'once' };
  return { startTime, frequency: def.schedule.frequency, interval: def.schedule.interval ?? 1, backfill: true };
}

function sourceConnection(
  ctx: DemoContext,
  def: DemoFlowDef,
  refs: Refs,
  conn: ConnectionDto,
  createdAt: number,
): SourceConnectionDto {
  const kind = SOURCE_KIND[conn.connectionSpec.id];
  const shape = refs.dataSets[def.dataSet].shape;
  const sc: SourceConnectionDto = {
    ...demoAudit(ctx, createdAt),
    name: `${def.name.split(' → ')[0]} source`,
    baseConnectionId: conn.id,
    state: 'enabled',
    connectionSpec: { ...conn.connectionSpec },
    providerRefId: conn.providerId ?? '',
    inheritedAttributes: { baseConnection: { id: conn.id, connectionSpec: { ...conn.connectionSpec } } },
  };
  const path = def.source ?? '/';
  if (kind === 'file') {
    sc.data = {
      format: def.format ?? 'delimited',
      ...(def.format === 'delimited' ? { properties: { columnDelimiter: ',', encoding: 'UTF-8' } } : {}),
    };
    sc.params = { path, type: path.endsWith('/') ? 'folder' : 'file', recursive: false };
  } else if (kind === 'table') {
    const pascal = def.conn === 'salesforce' || def.conn === 'serviceCloud' || def.conn === 'odata';
    sc.data = { format: 'tabular' };
    sc.params = {
      tableName: path,
      columns: sourceColumns(shape, refs.schemas, pascal).map((name) => ({
        name,
        type: 'string',
        meta: { originalType: 'String' },
      })),
    };
  }
  ctx.part.sourceConnections.set(sc.id, sc);
  return sc;
}

function targetConnection(
  ctx: DemoContext,
  def: DemoFlowDef,
  dataSet: DemoDataSet,
  createdAt: number,
): TargetConnectionDto {
  const tc: TargetConnectionDto = {
    ...demoAudit(ctx, createdAt),
    name: `${def.name.split(' → ')[1] ?? def.name} target`,
    state: 'enabled',
    data: { format: 'parquet_xdm', schema: { id: dataSet.schemaId, version: SCHEMA_REF_CONTENT_TYPE } },
    params: { dataSetId: dataSet.id },
    connectionSpec: { id: DATA_LAKE_CONNECTION_SPEC_ID, version: '1.0' },
  };
  ctx.part.targetConnections.set(tc.id, tc);
  return tc;
}

function transformations(
  ctx: DemoContext,
  def: DemoFlowDef,
  refs: Refs,
  flowSpecId: string,
  createdAt: number,
): TransformationDto[] {
  if (flowSpecId === FLOW_SPEC_IDS.streamWithoutTransformation) return [];
  const pascal = def.conn === 'salesforce' || def.conn === 'serviceCloud' || def.conn === 'odata';
  const set = demoMappingSet(ctx, refs.schemas, refs.dataSets[def.dataSet].shape, pascal, createdAt);
  ctx.part.mappingSets.set(set.id, [set]);
  const mapping: TransformationDto = { name: 'Mapping', params: { mappingId: set.id, mappingVersion: 0 } };
  if (flowSpecId !== FLOW_SPEC_IDS.crmToAep) return [mapping];
  const deltaColumn = { name: pascal ? 'LastModifiedDate' : 'updated_at', dateFormat: 'YYYY-MM-DD', timezone: 'UTC' };
  return [{ name: 'Copy', params: { deltaColumn } }, mapping];
}

/** One dataflow with its source connection, target connection and mapping set, all consistent with the validation rules. */
function seedFlow(ctx: DemoContext, def: DemoFlowDef, refs: Refs): FlowDto {
  const conn = refs.connections[def.conn];
  const dataSet = refs.dataSets[def.dataSet];
  const scheduleParams = scheduleOf(ctx, def);
  const createdAt =
    scheduleParams === undefined || def.future === true
      ? ctx.now - 5 * DAY_MS
      : Number(scheduleParams.startTime) * 1000 - 3 * HOUR_MS;
  const flowSpecId = flowSpecIdOf(conn);
  const sc = sourceConnection(ctx, def, refs, conn, createdAt - 600_000);
  const tc = targetConnection(ctx, def, dataSet, createdAt - 300_000);
  const audit = demoAudit(ctx, createdAt);
  const flow: FlowDto = {
    ...audit,
    name: def.name,
    description: `${def.name}${def.failing === true ? ` ${FAIL_MARKER}` : ''}`,
    flowSpec: { id: flowSpecId, version: '1.0' },
    state: 'enabled',
    sourceConnectionIds: [sc.id],
    targetConnectionIds: [tc.id],
    inheritedAttributes: {
      sourceConnections: [
        {
          id: sc.id,
          connectionSpec: { ...sc.connectionSpec },
          baseConnection: { id: conn.id, connectionSpec: { ...conn.connectionSpec } },
        },
      ],
      targetConnections: [{ id: tc.id, connectionSpec: { ...tc.connectionSpec } }],
      properties: { isSourceFlow: true },
    },
    ...(scheduleParams === undefined ? {} : { scheduleParams }),
    transformations: transformations(ctx, def, refs, flowSpecId, createdAt - 120_000),
    ...(def.partial === true ? { options: { partialIngestionPercent: 10, errorDiagnosticsEnabled: true } } : {}),
    runs: `/runs?property=flowId==${audit.id}`,
    lastOperation: completedOperation('create', createdAt),
  };
  ctx.part.flows.set(flow.id, flow);
  return flow;
}

export function seedFlows(ctx: DemoContext, defs: readonly DemoFlowDef[], refs: Refs): DemoFlow[] {
  return defs.map((def) => ({ def, flow: seedFlow(ctx, def, refs) }));
}

/** Disables a flow as `POST /flows/{id}/action?op=disable` would have at `at`. */
export function disableFlow(flow: FlowDto, at: number): void {
  flow.state = 'disabled';
  flow.updatedAt = at;
  flow.lastOperation = completedOperation('update', at);
}
