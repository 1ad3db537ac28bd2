import type { Context } from '../context.ts';
import type { DataflowTargetInput, MappingInput, NewSchemaTargetInput } from '../generated/graphql.ts';
import type { XdmFieldDto, XdmResourceDto } from '../upstream/schemaRegistry/types.ts';
import { destinationFieldPath, mergeXdmFields, xdmFieldPaths } from '../upstream/schemaRegistry/wire.ts';
import { userError, type UserError } from './userErrors.ts';

/** What the target side of a dataflow will be, once validated. */
export type TargetPlan =
  | { kind: 'existingDataset'; datasetId: string; schemaId: string; fieldPaths: Set<string> }
  | { kind: 'newDataset'; schemaId: string; datasetName: string; datasetDescription?: string; fieldPaths: Set<string> }
  | {
      kind: 'newSchema';
      title: string;
      description?: string;
      classId: string;
      fieldGroupIds: string[];
      datasetName: string;
      datasetDescription?: string;
      fieldPaths: Set<string>;
      /** The class's and field groups' resolved fields merged: the new schema's `xed-full` properties. */
      properties: Record<string, XdmFieldDto>;
    };

const T = ['input', 'target'];

function pathsOf(resource: XdmResourceDto | null): string[] {
  return resource === null ? [] : xdmFieldPaths(resource.properties);
}

/**
 * Validates the target input with the reads it needs (all in parallel); returns the plan or
 * the errors. `DataflowTargetInput` is `@oneOf`: GraphQL has already checked that exactly
 * one way is given.
 */
export async function planTarget(
  ctx: Context,
  target: DataflowTargetInput,
  errors: UserError[],
): Promise<TargetPlan | undefined> {
  if (target.existingDataset != null)
    return planExistingDataset(
      ctx,
      target.existingDataset.datasetId,
      target.existingDataset.schemaId ?? undefined,
      errors,
    );
  if (target.newDataset != null) {
    const at = [...T, 'newDataset'];
    const datasetName = namedDataset(target.newDataset.datasetName, at, errors);
    const schema = await ctx.loaders.schemaById.load(target.newDataset.schemaId);
    if (schema === null) {
      errors.push(
        userError([...at, 'schemaId'], 'NOT_FOUND', `No XDM schema ${target.newDataset.schemaId} in this sandbox`),
      );
      return undefined;
    }
    return {
      kind: 'newDataset',
      schemaId: schema.$id,
      datasetName,
      datasetDescription: target.newDataset.datasetDescription ?? undefined,
      fieldPaths: new Set(pathsOf(schema)),
    };
  }
  return planNewSchema(ctx, target.newSchema, errors);
}

function namedDataset(name: string, at: string[], errors: UserError[]): string {
  const trimmed = name.trim();
  if (trimmed === '')
    errors.push(userError([...at, 'datasetName'], 'REQUIRED', 'datasetName is required to create a new dataset'));
  return trimmed;
}

async function planExistingDataset(
  ctx: Context,
  datasetId: string,
  schemaId: string | undefined,
  errors: UserError[],
): Promise<TargetPlan | undefined> {
  const at = [...T, 'existingDataset'];
  const dataset = await ctx.loaders.datasetById.load({ id: datasetId, properties: ['name', 'schemaRef'] });
  if (dataset === null) {
    errors.push(userError([...at, 'datasetId'], 'NOT_FOUND', `No dataset ${datasetId} in this sandbox`));
    return undefined;
  }
  const actual = dataset.dto.schemaRef?.id;
  if (actual === undefined) {
    errors.push(
      userError(
        [...at, 'datasetId'],
        'WRONG_KIND',
        `Dataset ${datasetId} has no XDM schema, so a dataflow cannot write to it`,
      ),
    );
    return undefined;
  }
  if (schemaId !== undefined && schemaId !== actual) {
    errors.push(
      userError([...at, 'schemaId'], 'SCHEMA_MISMATCH', `Dataset ${datasetId} uses schema ${actual}, not ${schemaId}`),
    );
    return undefined;
  }
  const schema = await ctx.loaders.schemaById.load(actual);
  return { kind: 'existingDataset', datasetId, schemaId: actual, fieldPaths: new Set(pathsOf(schema)) };
}

async function planNewSchema(
  ctx: Context,
  target: NewSchemaTargetInput,
  errors: UserError[],
): Promise<TargetPlan | undefined> {
  const ns = target.schema;
  const datasetName = namedDataset(target.datasetName, [...T, 'newSchema'], errors);
  const at = [...T, 'newSchema', 'schema'];
  const registry = ctx.clients.schemaRegistry;
  const fieldGroupIds = [...new Set(ns.fieldGroupIds ?? [])];
  const [cls, ...groups] = await Promise.all([
    registry.getClass(ctx.credentials, ns.classId, { full: true }),
    ...fieldGroupIds.map((id) => registry.getFieldGroup(ctx.credentials, id, { full: true })),
  ]);
  if (ns.title.trim() === '') errors.push(userError([...at, 'title'], 'REQUIRED', 'title must not be empty'));
  if (cls === null) {
    errors.push(userError([...at, 'classId'], 'NOT_FOUND', `No XDM class ${ns.classId}`));
    return undefined;
  }
  const extendable = new Set([cls.$id, ...(cls['meta:extends'] ?? [])]);
  groups.forEach((group, i) => {
    const field = [...at, 'fieldGroupIds', String(i)];
    if (group === null) errors.push(userError(field, 'NOT_FOUND', `No XDM field group ${fieldGroupIds[i]}`));
    else if (!(group['meta:intendedToExtend'] ?? []).some((id) => extendable.has(id))) {
      errors.push(
        userError(
          field,
          'NOT_ACCEPTED',
          `Field group ${group.$id} does not extend class ${cls.$id} (it extends ${(group['meta:intendedToExtend'] ?? []).join(', ') || 'nothing'})`,
        ),
      );
    }
  });
  const parts = [cls, ...groups].filter((r): r is XdmResourceDto => r !== null);
  const properties = parts.reduce<Record<string, XdmFieldDto>>((acc, r) => mergeXdmFields(acc, r.properties ?? {}), {});
  const fieldPaths = new Set(xdmFieldPaths(properties));
  return {
    kind: 'newSchema',
    title: ns.title,
    description: ns.description ?? undefined,
    classId: cls.$id,
    fieldGroupIds,
    datasetName,
    datasetDescription: target.datasetDescription ?? undefined,
    fieldPaths,
    properties,
  };
}

/** Each mapping's destination must exist in the target schema, its source among the declared columns. */
export function checkMappings(
  mappings: readonly MappingInput[],
  fieldPaths: Set<string>,
  columns: readonly string[] | undefined,
  errors: UserError[],
): void {
  const declared = columns === undefined ? undefined : new Set(columns);
  mappings.forEach((m, i) => {
    const at = ['input', 'mappings', String(i)];
    if (!fieldPaths.has(destinationFieldPath(m.destinationXdmPath))) {
      errors.push(
        userError(
          [...at, 'destinationXdmPath'],
          'UNKNOWN_FIELD',
          `${m.destinationXdmPath} does not exist in the target schema`,
        ),
      );
    }
    if (declared !== undefined && !declared.has(m.sourceAttribute)) {
      errors.push(
        userError(
          [...at, 'sourceAttribute'],
          'UNKNOWN_FIELD',
          `${m.sourceAttribute} is not among the declared source columns (${[...declared].join(', ')})`,
        ),
      );
    }
    if (m.identity === true && (m.namespaceCode == null || m.namespaceCode === '')) {
      errors.push(
        userError([...at, 'namespaceCode'], 'REQUIRED', 'An identity mapping needs its identity namespace code'),
      );
    }
  });
}
