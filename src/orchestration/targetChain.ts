import type { Context } from '../context.ts';
import type { TargetConnectionDto } from '../upstream/flowService/types.ts';
import type { XdmResourceDto } from '../upstream/schemaRegistry/types.ts';
import type { DatasetModel } from '../graph/models.ts';
import { REUSED, type Attempt } from './attempt.ts';
import { createdDataset, createdTargetConnection } from './createdResources.ts';
import { datasetBody, schemaBody, targetConnectionBody } from './dataflowBodies.ts';
import type { TargetPlan } from './dataflowTarget.ts';
import type { Created, Saga } from './saga.ts';
import { findDataset, findSchema, findTargetConnection } from './writeMarkers.ts';

export interface TargetChain {
  schema: Promise<XdmResourceDto | undefined>;
  schemaId: Promise<string | undefined>;
  /** null: an existing dataset (nothing created); undefined: not created because a step failed. */
  dataset: Promise<DatasetModel | undefined | null>;
  datasetId: Promise<string | undefined>;
  target: Promise<TargetConnectionDto | undefined>;
}

/** Target schema → dataset → target connection, each only where the plan creates it. */
export function startTargetChain(
  ctx: Context,
  saga: Saga,
  t: TargetPlan,
  name: string,
  now: number,
  attempt: Attempt,
): TargetChain {
  const c = ctx.credentials;
  const { flowService: fs, catalog } = ctx.clients;
  const schema = t.kind === 'newSchema' ? schemaStep(ctx, saga, t, attempt) : Promise.resolve(undefined);
  if (t.kind !== 'newSchema') saga.skip('targetSchema', t.schemaId, 'existing schema');
  const schemaId = schema.then((s) => (t.kind === 'newSchema' ? s?.$id : t.schemaId));
  const datasetStep = (plan: Exclude<TargetPlan, { kind: 'existingDataset' }>, id: string) => {
    const body = datasetBody(plan.datasetName, plan.datasetDescription, id, attempt.marker);
    const made = (dsId: string): Created<DatasetModel> => ({
      id: dsId,
      value: createdDataset(c, dsId, body, now),
      compensation: { undo: (c) => catalog.deleteDataSet(c, dsId) },
    });
    return saga.write('dataset', {
      create: () => catalog.createDataSet(c, body),
      find: (c) => findDataset(ctx, c, attempt.marker),
      made,
    });
  };
  const dataset: Promise<DatasetModel | undefined | null> =
    t.kind === 'existingDataset'
      ? (saga.skip('dataset', t.datasetId, 'existing dataset'), Promise.resolve(null))
      : schemaId.then((id) => (id === undefined ? undefined : datasetStep(t, id)));
  const datasetId = dataset.then((d) =>
    d === null ? (t.kind === 'existingDataset' ? t.datasetId : undefined) : d?.id,
  );
  const target = Promise.all([schemaId, datasetId]).then(([sid, did]) => {
    if (sid === undefined || did === undefined) return undefined;
    const body = targetConnectionBody(name, sid, did, attempt.marker);
    const made = (r: { id: string; etag: string }): Created<TargetConnectionDto> => ({
      id: r.id,
      value: createdTargetConnection(c, body, r, now),
      compensation: { undo: (c) => fs.deleteTargetConnection(c, r.id) },
    });
    return saga.write('targetConnection', {
      create: () => fs.createTargetConnection(c, body),
      find: (c) => findTargetConnection(ctx, c, attempt.marker),
      made,
    });
  });
  return { schema, schemaId, dataset, datasetId, target };
}

/** Creates the new schema, or reuses the one an earlier attempt with the same key kept. */
async function schemaStep(
  ctx: Context,
  saga: Saga,
  t: Extract<TargetPlan, { kind: 'newSchema' }>,
  attempt: Attempt,
): Promise<XdmResourceDto | undefined> {
  const c = ctx.credentials;
  const registry = ctx.clients.schemaRegistry;
  const keptId = attempt.leftovers?.['targetSchema'];
  const kept = keptId === undefined ? null : await registry.getSchema(c, keptId);
  if (kept !== null) {
    saga.skip('targetSchema', kept.$id, REUSED);
    return { ...kept, properties: t.properties };
  }
  const made = (created: XdmResourceDto): Created<XdmResourceDto> => ({
    id: created.$id,
    value: { ...created, properties: t.properties },
    compensation: { undo: (c) => registry.deleteSchema(c, created.$id) },
  });
  return saga.write('targetSchema', {
    create: () => registry.createSchema(c, schemaBody(t, attempt.marker)),
    find: (c) => findSchema(ctx, c, attempt.marker),
    made,
  });
}
