import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  visit,
  type DocumentNode,
  type ValueNode,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { bucketCount, parseGranularity } from '../upstream/observability/wire.ts';
import { DEFAULT_FIRST, MAX_FIRST } from './paging.ts';

/**
 * The assumed upper size of every list that takes no `first`, by `Type.field`. The cost of
 * an operation multiplies by these, so a query nesting such lists is weighed by the worst
 * case it can return, not by one item per list. A list longer than its size still answers
 * in full; the sizes are chosen above what the Platform holds in practice (a flow has one
 * source and one target connection; a flow spec accepts a few dozen connection specs).
 * Relay connections (`nodes`, `edges`) are not here: their `first` weighs them.
 */
export const LIST_SIZES: Readonly<Record<string, number>> = {
  'Flow.sourceConnections': 5,
  'Flow.targetConnections': 5,
  'Flow.sourceConnectionSpecs': 5,
  'Flow.transformations': 10,
  'Flow.errorSummary': 20,
  'FleetHealth.byHealth': 5, // one per FlowHealth value
  'FleetHealth.bySourceConnectionSpec': 100,
  'SpecHealthCount.byHealth': 5,
  'FlowRun.errors': 20,
  'FlowRun.activities': 20,
  'FlowRun.batches': 20,
  'RunActivity.errors': 20,
  'ConnectionSpec.authSpecs': 10,
  'ConnectionSpec.flowSpecs': 20,
  'FlowSpec.sourceConnectionSpecs': 100,
  'FlowSpec.targetConnectionSpecs': 20,
  'FlowSpec.transformations': 10,
  'SourceConnection.columns': 500,
  'Batch.errors': 20,
  'XdmSchema.fieldGroups': 50,
  'XdmSchema.fields': 50,
  'XdmField.fields': 20,
  'MappingSet.mappings': 500,
  'MappingValidation.errors': 500,
  'CreateDataflowPayload.steps': 20,
  'CreateDataflowPayload.userErrors': 100,
  'UpdateDataflowPayload.userErrors': 100,
  'DataflowStatePayload.userErrors': 100,
  'RunDataflowPayload.userErrors': 100,
  'DeleteDataflowPayload.steps': 20,
  'DeleteDataflowPayload.userErrors': 100,
  'CreateStreamingDataflowPayload.steps': 20,
  'CreateStreamingDataflowPayload.userErrors': 100,
  'SendStreamingRecordsPayload.results': 1_000,
  'SendStreamingRecordsPayload.userErrors': 100,
  'ExploreResult.userErrors': 100,
  'PreviewResult.columns': 500,
  'PreviewResult.userErrors': 100,
  'TestBaseConnectionPayload.userErrors': 100,
  'SuggestMappingsPayload.suggestions': 500,
  'SuggestMappingsPayload.mappings': 500,
  'SuggestMappingsPayload.userErrors': 100,
  'CreateBaseConnectionPayload.userErrors': 100,
  'UpdateBaseConnectionPayload.userErrors': 100,
  'DeleteBaseConnectionPayload.userErrors': 100,
};

/** What the argument-sized lists may hold at most; past it execution refuses them before any upstream request. */
export interface CostBounds {
  /** INGESTION_MAX_POINTS. */
  ingestionMaxPoints: number;
}

/**
 * Lists whose size follows from their arguments, by `Type.field`: a time series has one
 * point per bucket of its window. Arguments that do not parse, or ask for more than the
 * bound, weigh one item: execution rejects them with their own error, upstream untouched.
 */
export const ARGUMENT_SIZES: Readonly<Record<string, (args: Record<string, unknown>, bounds: CostBounds) => number>> = {
  'Dataset.ingestion': (args, bounds) => {
    const start = typeof args['start'] === 'string' ? Date.parse(args['start']) : Number.NaN;
    const end = typeof args['end'] === 'string' ? Date.parse(args['end']) : Number.NaN;
    const granularity = parseGranularity(args['granularity']);
    if (Number.isNaN(start) || Number.isNaN(end) || granularity === undefined) return 1;
    const points = bucketCount(start, end, granularity);
    return points < 1 || points > bounds.ingestionMaxPoints ? 1 : points;
  },
};

const isPaged = (field: GraphQLField<unknown, unknown>) => field.args.some((a) => a.name === 'first');

/** Lists of objects that take no `first` and have no size in LIST_SIZES (none, for a consistent schema). */
export function unsizedLists(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    // a Relay connection's `nodes` and `edges` are weighed by the `first` of the field that returns it
    if (!isObjectType(type) || type.name.startsWith('__') || type.getFields()['pageInfo'] !== undefined) continue;
    for (const field of Object.values(type.getFields())) {
      const key = `${type.name}.${field.name}`;
      if (isListType(getNullableType(field.type)) && isCompositeType(getNamedType(field.type)) && !isPaged(field))
        if (LIST_SIZES[key] === undefined && ARGUMENT_SIZES[key] === undefined) missing.push(key);
    }
  }
  return missing;
}

/**
 * Objects the response can hold at most: each object counts once per parent; below a
 * field with `first` (a Relay connection), everything counts `first` times (20 when the
 * query gives null, at most MAX_FIRST); a list without `first` counts
 * its LIST_SIZES size times. Scalars and enums count nothing (their number per object is
 * bounded by the document). Introspection counts nothing: it reads the static schema and
 * is enabled only where INTROSPECTION allows it.
 */
export function createCostEstimator(schema: GraphQLSchema, bounds: CostBounds): ComplexityEstimator {
  const missing = unsizedLists(schema);
  if (missing.length > 0) throw new Error(`LIST_SIZES has no size for ${missing.join(', ')}`);
  return ({ type, field, args, childComplexity }) => {
    if (field.name.startsWith('__') || !isCompositeType(getNamedType(field.type))) return 0;
    if (isPaged(field)) {
      const first = typeof args['first'] === 'number' ? Math.min(Math.max(args['first'], 0), MAX_FIRST) : DEFAULT_FIRST;
      return 1 + first * childComplexity;
    }
    if (isListType(getNullableType(field.type))) {
      const key = `${type.name}.${field.name}`;
      const size = ARGUMENT_SIZES[key]?.(args, bounds) ?? LIST_SIZES[key] ?? 1;
      return size * (1 + childComplexity);
    }
    return 1 + childComplexity;
  };
}

/** Thrown by `operationCost` when the document expands past `maxNodes` selections. */
export class TooManyNodesError extends Error {}

const TOO_MANY_NODES = /maximum allowed number of nodes/;

/**
 * The cost of one operation of a validated document. Linear: graphql-query-complexity
 * stops after `maxNodes` selections (fragments expanded), so a document whose fragments
 * spread each other exponentially throws TooManyNodesError in bounded time. Returns
 * undefined when the variables do not fit the operation: execution rejects it before any
 * resolver runs, with its own error.
 */
export function operationCost(
  schema: GraphQLSchema,
  estimator: ComplexityEstimator,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  maxNodes: number,
): number | undefined {
  try {
    return getComplexity({
      schema,
      query: document,
      operationName,
      variables,
      estimators: [estimator],
      maxQueryNodes: maxNodes,
    });
  } catch (err) {
    if (err instanceof GraphQLError && TOO_MANY_NODES.test(err.message)) throw new TooManyNodesError(err.message);
    if (err instanceof GraphQLError) return undefined;
    throw err;
  }
}

/** What `operationCost` gave: a cost, undefined (variables that do not fit), or too many nodes. */
type CostOutcome = { cost: number | undefined } | { tooManyNodes: string };

/** Variable values remembered per operation of a document before its cache starts over. */
const COSTS_PER_OPERATION = 64;

/**
 * The variables the cost of an operation can depend on: those used in a `first` argument, in
 * an argument of a list sized by its arguments (ARGUMENT_SIZES, by field name), or in a
 * directive (`@skip`/`@include` decide what counts). The others (ids, filters) change the
 * answer but not what it can hold.
 */
function costVariables(document: DocumentNode): string[] {
  const sized = new Set(Object.keys(ARGUMENT_SIZES).map((key) => key.split('.')[1]!));
  const names = new Set<string>();
  const collect = (node: ValueNode) => {
    if (node.kind === Kind.VARIABLE) names.add(node.name.value);
    else if (node.kind === Kind.LIST) node.values.forEach(collect);
    else if (node.kind === Kind.OBJECT) node.fields.forEach((f) => collect(f.value));
  };
  visit(document, {
    Field(field) {
      for (const arg of field.arguments ?? [])
        if (arg.name.value === 'first' || sized.has(field.name.value)) collect(arg.value);
    },
    Directive(directive) {
      for (const arg of directive.arguments ?? []) collect(arg.value);
    },
  });
  return [...names].sort();
}

/**
 * `operationCost`, remembered per parsed document (Apollo's document store hands the same
 * DocumentNode for the same query text), operation and the values of the variables the cost
 * depends on: `flow(id: $id)` is weighed once, not once per id. The answer is the one
 * `operationCost` gives for those variables, TooManyNodesError included.
 */
export function createCostCache(schema: GraphQLSchema, estimator: ComplexityEstimator, maxNodes: number) {
  const byDocument = new WeakMap<DocumentNode, { variables: string[]; costs: Map<string, CostOutcome> }>();
  return (document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>) => {
    let entry = byDocument.get(document);
    if (entry === undefined)
      byDocument.set(document, (entry = { variables: costVariables(document), costs: new Map() }));
    const key = JSON.stringify([operationName ?? null, ...entry.variables.map((name) => variables[name] ?? null)]);
    let outcome = entry.costs.get(key);
    if (outcome === undefined) {
      try {
        outcome = { cost: operationCost(schema, estimator, document, operationName, variables, maxNodes) };
      } catch (err) {
        if (!(err instanceof TooManyNodesError)) throw err;
        outcome = { tooManyNodes: err.message };
      }
      if (entry.costs.size >= COSTS_PER_OPERATION) entry.costs.clear();
      entry.costs.set(key, outcome);
    }
    if ('tooManyNodes' in outcome) throw new TooManyNodesError(outcome.tooManyNodes);
    return outcome.cost;
  };
}
