import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import type { Loaders } from '../../context.ts';
import { tenantOf, type Credentials } from '../../upstream/credentials.ts';
import type { FlowDto } from '../../upstream/flowService/types.ts';
import type { LinkPredictions } from '../connection/linkPredictions.ts';
import { datasetProperties } from '../dataset/properties.ts';
import { childFields, fieldNames, onlyIds } from '../selection.ts';

/** What a `targetConnections` selection reads of each target: the datasets (Catalog properties, per alias) and the schema. */
interface TargetPlan {
  datasets: string[][];
  schema: boolean;
}

/** What a `sourceConnections` selection reads of each source beyond its own fields. */
interface SourcePlan {
  baseConnections: boolean;
  baseConnectionSpecs: boolean;
  sourceSpecs: boolean;
}

/** Plans per parsed field, as selection.ts keeps its selections: walked once per request, not per flow. */
const targetPlans = new WeakMap<readonly FieldNode[], TargetPlan>();
const sourcePlans = new WeakMap<readonly FieldNode[], SourcePlan>();

/** True when some alias of the child field `name` of `nodes` selects more than its id. */
function readsChild(nodes: readonly FieldNode[], fragments: GraphQLResolveInfo['fragments'], name: string): boolean {
  return childFields(nodes, fragments, name).some((group) => !onlyIds(fieldNames(group, fragments)));
}

function targetPlan(info: GraphQLResolveInfo): TargetPlan {
  let plan = targetPlans.get(info.fieldNodes);
  if (plan === undefined) {
    const datasets = childFields(info.fieldNodes, info.fragments, 'dataset')
      .map((group) => fieldNames(group, info.fragments))
      .filter((names) => !onlyIds(names))
      .map(datasetProperties);
    plan = { datasets, schema: readsChild(info.fieldNodes, info.fragments, 'schema') };
    targetPlans.set(info.fieldNodes, plan);
  }
  return plan;
}

function sourcePlan(info: GraphQLResolveInfo): SourcePlan {
  let plan = sourcePlans.get(info.fieldNodes);
  if (plan === undefined) {
    const bases = childFields(info.fieldNodes, info.fragments, 'baseConnection').filter(
      (group) => !onlyIds(fieldNames(group, info.fragments)),
    );
    plan = {
      baseConnections: bases.length > 0,
      baseConnectionSpecs: bases.some((group) => readsChild(group, info.fragments, 'connectionSpec')),
      sourceSpecs: readsChild(info.fieldNodes, info.fragments, 'connectionSpec'),
    };
    sourcePlans.set(info.fieldNodes, plan);
  }
  return plan;
}

/** The loaders early reads go through: the request's own. */
type EarlyLoaders = Pick<Loaders, 'baseConnectionById' | 'connectionSpecById' | 'datasetById' | 'schemaById'>;

/**
 * One request's early reads of a flow's links: started when a flow resolves its source or
 * target connections, in the same wave as those, through the request's own loaders and with
 * the caller's own credentials (`PrefetchingLoader`). What a source connection links to, the
 * flow names itself (`inheritedAttributes`); what a target connection links to comes from
 * `LinkPredictions`, what it named when last read in this tenant. The resolvers then load
 * what the connections actually name: a right guess is read already (or on its way), a wrong
 * or missing one is read then. Only for callers the platform has confirmed for their org and
 * sandbox, and only while the operation has used less than half its request budget (each
 * key counted as a request of its own, though a multi-get reads up to 100 in one).
 */
export class EarlyLinks {
  readonly #loaders: EarlyLoaders;
  readonly #credentials: Credentials;
  readonly #predictions: LinkPredictions | undefined;
  readonly #enabled: boolean;
  readonly #confirmed: () => boolean;
  #tenant: string | undefined;
  #isConfirmed = false;
  /** Keys read early so far, over every loader. */
  #started = 0;

  constructor(
    loaders: EarlyLoaders,
    credentials: Credentials,
    predictions: LinkPredictions | undefined,
    enabled: boolean,
    confirmed: () => boolean,
  ) {
    this.#loaders = loaders;
    this.#credentials = credentials;
    this.#predictions = predictions;
    this.#enabled = enabled;
    this.#confirmed = confirmed;
  }

  /** The datasets and schemas the target connections `ids` named when last read in this tenant. */
  ofTargets(ids: readonly string[], info: GraphQLResolveInfo): void {
    const predictions = this.#predictions;
    if (predictions?.enabled !== true || ids.length === 0) return;
    const plan = targetPlan(info);
    if ((plan.datasets.length === 0 && !plan.schema) || !this.#allowed()) return;
    this.#tenant ??= tenantOf(this.#credentials);
    for (const id of ids) {
      const links = predictions.predict(this.#tenant, id);
      if (links === undefined) continue;
      const { datasetId, schemaId } = links;
      if (datasetId !== undefined)
        for (const properties of plan.datasets) this.#start(this.#loaders.datasetById, { id: datasetId, properties });
      if (schemaId !== undefined && plan.schema) this.#start(this.#loaders.schemaById, schemaId);
    }
  }

  /** The base connections and connection specs `flow` says its source connections link to. */
  ofSources(flow: FlowDto, info: GraphQLResolveInfo): void {
    const sources = flow.inheritedAttributes.sourceConnections;
    if (sources.length === 0) return;
    const plan = sourcePlan(info);
    if ((!plan.baseConnections && !plan.baseConnectionSpecs && !plan.sourceSpecs) || !this.#allowed()) return;
    for (const s of sources) {
      if (plan.sourceSpecs) this.#start(this.#loaders.connectionSpecById, s.connectionSpec.id);
      if (s.baseConnection === undefined) continue;
      if (plan.baseConnections) this.#start(this.#loaders.baseConnectionById, s.baseConnection.id);
      if (plan.baseConnectionSpecs) this.#start(this.#loaders.connectionSpecById, s.baseConnection.connectionSpec.id);
    }
  }

  #allowed(): boolean {
    if (!this.#enabled || !this.#hasRoom()) return false;
    // once confirmed, for the rest of the request: asked once, not once per flow
    this.#isConfirmed ||= this.#confirmed();
    return this.#isConfirmed;
  }

  #hasRoom(): boolean {
    const { scope } = this.#credentials;
    if (scope === undefined || scope.maxRequests === 0) return true;
    return scope.sent + this.#started < scope.maxRequests / 2;
  }

  #start<K>(loader: { prefetch(key: K): boolean }, key: K): void {
    if (this.#hasRoom() && loader.prefetch(key)) this.#started++;
  }
}
