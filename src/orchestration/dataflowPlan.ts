import type { Context } from '../context.ts';
import type { CreateDataflowInput, DeltaColumnInput, MappingInput } from '../generated/graphql.ts';
import type {
  ConnectionDto,
  ConnectionSpecDto,
  FlowSpecDto,
  ScheduleParamsDto,
} from '../upstream/flowService/types.ts';
import { validateSchema } from '../upstream/flowService/wire.ts';
import { checkMappings, planTarget, type TargetPlan } from './dataflowTarget.ts';
import { userError, type UserError } from './userErrors.ts';

export type SourceKind = 'file' | 'table';

export interface DataflowPlan {
  name: string;
  description: string | undefined;
  baseConnection: ConnectionDto;
  connectionSpec: ConnectionSpecDto;
  flowSpec: FlowSpecDto;
  kind: SourceKind;
  source: {
    format: string;
    path?: string;
    tableName?: string;
    recursive?: boolean;
    columns?: Array<{ name: string; type: string }>;
    sourceSchemaId?: string;
    params?: Record<string, unknown>;
  };
  target: TargetPlan;
  mappings: MappingInput[];
  deltaColumn: DeltaColumnInput | undefined;
  scheduleParams: ScheduleParamsDto;
}

const S = ['input', 'source'];
const FILE_FORMATS = new Set(['DELIMITED', 'JSON', 'PARQUET']);

/** Batch flow specs (they have a schedule) that accept a source connection spec. */
function acceptingFlowSpecs(specs: readonly FlowSpecDto[], connectionSpecId: string): FlowSpecDto[] {
  return specs.filter((f) => f.scheduleSpec !== undefined && f.sourceConnectionSpecIds.includes(connectionSpecId));
}

/** Table sources are the ones whose flow spec copies incrementally (a `Copy` transformation). */
function kindOf(flowSpec: FlowSpecDto, spec: ConnectionSpecDto): SourceKind {
  return flowSpec.transformationSpecs.some((t) => t.name === 'Copy') || spec.sourceSpec?.type === 'Table'
    ? 'table'
    : 'file';
}

export function scheduleParams(input: CreateDataflowInput['schedule']): ScheduleParamsDto {
  const params: ScheduleParamsDto = {
    startTime: Math.floor(Date.parse(input.startTime) / 1000),
    frequency: input.frequency.toLowerCase() as ScheduleParamsDto['frequency'],
  };
  if (input.interval != null) params.interval = input.interval;
  if (input.backfill != null) params.backfill = input.backfill;
  return params;
}

/** The flow spec's own JSON schema decides (§9.2); violations name the schedule field. */
function checkSchedule(flowSpec: FlowSpecDto, params: ScheduleParamsDto, errors: UserError[]): void {
  const schema = flowSpec.scheduleSpec?.spec;
  if (schema === undefined) return;
  for (const v of validateSchema(schema, params)) {
    const field = v.pointer.split('/').filter((p) => p !== '');
    errors.push(
      userError(
        ['input', 'schedule', ...field],
        'INVALID',
        `${field.join('.') || 'schedule'} ${v.message} (rule of flow spec ${flowSpec.name})`,
      ),
    );
  }
}

function checkSource(input: CreateDataflowInput, kind: SourceKind, errors: UserError[]): DataflowPlan['source'] {
  const s = input.source;
  const format = s.format ?? (kind === 'file' ? 'DELIMITED' : 'TABULAR');
  if (kind === 'file' && !FILE_FORMATS.has(format))
    errors.push(
      userError([...S, 'format'], 'INVALID', `${format} does not fit a file source; use DELIMITED, JSON or PARQUET`),
    );
  if (kind === 'table' && format !== 'TABULAR')
    errors.push(userError([...S, 'format'], 'INVALID', `${format} does not fit a table source; use TABULAR`));
  if (kind === 'file' && (s.path == null || s.path === ''))
    errors.push(userError([...S, 'path'], 'REQUIRED', 'A file source needs the path of its file or folder'));
  if (kind === 'table' && (s.tableName == null || s.tableName === ''))
    errors.push(userError([...S, 'tableName'], 'REQUIRED', 'A table source needs its table name'));
  if (kind === 'file' && s.tableName != null)
    errors.push(userError([...S, 'tableName'], 'INVALID', 'A file source reads a path, not a table'));
  if (kind === 'table' && s.path != null)
    errors.push(userError([...S, 'path'], 'INVALID', 'A table source reads a table, not a path'));
  s.columns?.forEach((c, i) => {
    if (c.type === 'UNKNOWN')
      errors.push(
        userError([...S, 'columns', String(i), 'type'], 'INVALID', 'Give the column a known type, not UNKNOWN'),
      );
  });
  if (s.params != null && (typeof s.params !== 'object' || Array.isArray(s.params)))
    errors.push(userError([...S, 'params'], 'INVALID', 'params must be a JSON object'));
  return {
    format: format.toLowerCase(),
    path: s.path ?? undefined,
    tableName: s.tableName ?? undefined,
    recursive: s.recursive ?? undefined,
    columns: s.columns?.map((c) => ({ name: c.name, type: c.type.toLowerCase() })),
    sourceSchemaId: s.sourceSchemaId ?? undefined,
    params: (s.params as Record<string, unknown> | null) ?? undefined,
  };
}

function checkTransformations(input: CreateDataflowInput, flowSpec: FlowSpecDto, errors: UserError[]): void {
  const names = new Set(flowSpec.transformationSpecs.map((t) => t.name));
  if (names.has('Copy') && input.deltaColumn == null)
    errors.push(
      userError(
        ['input', 'deltaColumn'],
        'REQUIRED',
        `Flow spec ${flowSpec.name} copies incrementally: give the delta column (e.g. LastModifiedDate)`,
      ),
    );
  if (!names.has('Copy') && input.deltaColumn != null)
    errors.push(
      userError(['input', 'deltaColumn'], 'NOT_ALLOWED', `Flow spec ${flowSpec.name} has no Copy transformation`),
    );
  if ((input.mappings?.length ?? 0) > 0 && !names.has('Mapping'))
    errors.push(userError(['input', 'mappings'], 'NOT_ALLOWED', `Flow spec ${flowSpec.name} takes no mapping`));
  const columns = input.source.columns?.map((c) => c.name);
  if (input.deltaColumn != null && columns !== undefined && !columns.includes(input.deltaColumn.name)) {
    errors.push(
      userError(
        ['input', 'deltaColumn', 'name'],
        'UNKNOWN_FIELD',
        `${input.deltaColumn.name} is not among the declared source columns`,
      ),
    );
  }
}

async function pickFlowSpec(
  ctx: Context,
  input: CreateDataflowInput,
  specId: string,
  errors: UserError[],
): Promise<FlowSpecDto | undefined> {
  const all = await ctx.specs.allFlowSpecs(ctx.credentials);
  if (input.flowSpecId != null) {
    const chosen = all.find((f) => f.id === input.flowSpecId);
    if (chosen === undefined)
      errors.push(userError(['input', 'flowSpecId'], 'NOT_FOUND', `No flow spec ${input.flowSpecId}`));
    else if (!chosen.sourceConnectionSpecIds.includes(specId))
      errors.push(
        userError(
          ['input', 'flowSpecId'],
          'NOT_ACCEPTED',
          `Flow spec ${chosen.name} does not accept sources of connection spec ${specId}`,
        ),
      );
    else if (chosen.scheduleSpec === undefined)
      errors.push(
        userError(
          ['input', 'flowSpecId'],
          'WRONG_KIND',
          `Flow spec ${chosen.name} is a streaming flow spec; use createStreamingDataflow`,
        ),
      );
    else return chosen;
    return undefined;
  }
  const accepting = acceptingFlowSpecs(all, specId);
  if (accepting.length === 0)
    errors.push(
      userError(
        [...S, 'baseConnectionId'],
        'NOT_ACCEPTED',
        `No batch flow spec accepts sources of connection spec ${specId}`,
      ),
    );
  return accepting[0];
}

/** Everything knowable before the first write, read in parallel; every problem reported at once. */
export async function planDataflow(
  ctx: Context,
  input: CreateDataflowInput,
): Promise<{ plan?: DataflowPlan; userErrors: UserError[] }> {
  const errors: UserError[] = [];
  if (input.name.trim() === '') errors.push(userError(['input', 'name'], 'REQUIRED', 'name must not be empty'));
  const [base, target] = await Promise.all([
    ctx.loaders.baseConnectionById.load(input.source.baseConnectionId),
    planTarget(ctx, input.target, errors),
    ctx.specs.allFlowSpecs(ctx.credentials),
  ]);
  if (base === null) {
    errors.push(
      userError(
        [...S, 'baseConnectionId'],
        'NOT_FOUND',
        `No base connection ${input.source.baseConnectionId} in this sandbox`,
      ),
    );
    return { userErrors: errors };
  }
  const specId = input.source.connectionSpecId ?? base.connectionSpec.id;
  if (specId !== base.connectionSpec.id)
    errors.push(
      userError(
        [...S, 'connectionSpecId'],
        'INVALID',
        `Base connection ${base.id} is of connection spec ${base.connectionSpec.id}, not ${specId}`,
      ),
    );
  const spec = await ctx.loaders.connectionSpecById.load(specId);
  if (spec === null || spec.attributes.isSource !== true) {
    errors.push(
      userError(
        [...S, 'baseConnectionId'],
        'WRONG_KIND',
        `Base connection ${base.id} is not a source connection (connection spec ${specId})`,
      ),
    );
    return { userErrors: errors };
  }
  const flowSpec = await pickFlowSpec(ctx, input, specId, errors);
  if (flowSpec === undefined) return { userErrors: errors };
  const kind = kindOf(flowSpec, spec);
  const source = checkSource(input, kind, errors);
  checkTransformations(input, flowSpec, errors);
  const params = scheduleParams(input.schedule);
  checkSchedule(flowSpec, params, errors);
  if (target !== undefined)
    checkMappings(
      input.mappings ?? [],
      target.fieldPaths,
      source.columns?.map((c) => c.name),
      errors,
    );
  if (errors.length > 0 || target === undefined) return { userErrors: errors };
  return {
    plan: {
      name: input.name,
      description: input.description ?? undefined,
      baseConnection: base,
      connectionSpec: spec,
      flowSpec,
      kind,
      source,
      target,
      mappings: input.mappings ?? [],
      deltaColumn: input.deltaColumn ?? undefined,
      scheduleParams: params,
    },
    userErrors: [],
  };
}
