import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  getArgumentValues,
  getNamedType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * How many objects an operation can return: each object-typed field counts once per parent
 * object, times its `first` argument (the schema's default when the query gives none) for
 * the fields below a list. `flows(first: 100) { nodes { flowSpec { name } } }` is about 200;
 * `flow(id)` with two links is 3. A field of an abstract type counts once (the schema has none).
 */
export function estimateObjects(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  parent: GraphQLObjectType,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  let total = 0;
  const visit = (set: SelectionSetNode, type: GraphQLObjectType, multiplier: number, depth: number) => {
    if (depth > 32) return;
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT || sel.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = sel.kind === Kind.INLINE_FRAGMENT ? sel : fragments[sel.name.value];
        const on = fragment?.typeCondition === undefined ? type : schema.getType(fragment.typeCondition.name.value);
        if (fragment !== undefined) visit(fragment.selectionSet, isObjectType(on) ? on : type, multiplier, depth + 1);
        continue;
      }
      const field = type.getFields()[sel.name.value];
      if (field === undefined || sel.selectionSet === undefined) continue;
      let first = 1;
      if (field.args.some((a) => a.name === 'first')) {
        try {
          const value = getArgumentValues(field, sel, variables)['first'];
          if (typeof value === 'number' && value > 0) first = value;
        } catch {
          // a bad argument fails in execution with its own error; weigh it as one object
        }
      }
      const named = getNamedType(field.type);
      total += multiplier;
      if (isObjectType(named)) visit(sel.selectionSet, named, multiplier * first, depth + 1);
    }
  };
  visit(selectionSet, parent, 1, 0);
  return total;
}

/**
 * A FIFO semaphore over a budget of weights. No weight counts for more than an eighth of the
 * budget: an estimate assumes every page is full, which a big query rarely is, so at least
 * eight operations always run together.
 */
export class WeightedGate {
  #free: number;
  readonly #queue: Array<{ weight: number; admit: () => void }> = [];

  constructor(readonly budget: number) {
    this.#free = budget;
  }

  /** Resolves once `weight` is admitted, with the function that gives it back (call it exactly once). */
  async acquire(weight: number): Promise<() => void> {
    const w = Math.max(1, Math.min(weight, Math.ceil(this.budget / 8)));
    if (this.#queue.length === 0 && this.#free >= w) this.#free -= w;
    else await new Promise<void>((admit) => this.#queue.push({ weight: w, admit }));
    return () => this.#release(w);
  }

  #release(weight: number): void {
    this.#free += weight;
    while (this.#queue.length > 0 && this.#free >= this.#queue[0]!.weight) {
      const next = this.#queue.shift()!;
      this.#free -= next.weight;
      next.admit();
    }
  }
}

/**
 * Bounds the objects of the operations executing at once. Once the CPU is saturated, more
 * operations in flight add no throughput, only memory: each holds its upstream answers for
 * longer, they survive young-generation GCs and the heap grows. Operations over the budget
 * wait in arrival order before execution; cheap ones (`flow(id)`) barely count, so I/O-bound
 * traffic keeps its concurrency. `budget <= 0` turns the gate off. The default (8,000) lets
 * eight pages of 100 dashboard rows (about 1,100 objects each) execute at once.
 */
export function admissionPlugin<T extends BaseContext>(budget: number): ApolloServerPlugin<T> {
  if (budget <= 0) return {};
  const gate = new WeightedGate(budget);
  return {
    async requestDidStart() {
      let release: (() => void) | undefined;
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (operation === undefined) return;
          const root =
            operation.operation === OperationTypeNode.QUERY
              ? schema.getQueryType()
              : operation.operation === OperationTypeNode.MUTATION
                ? schema.getMutationType()
                : schema.getSubscriptionType();
          if (root == null) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
          release = await gate.acquire(
            estimateObjects(schema, operation.selectionSet, root, fragments, request.variables ?? {}),
          );
        },
        async willSendResponse() {
          release?.();
          release = undefined;
        },
      };
    },
  };
}
