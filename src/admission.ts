import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { OperationLimits } from './config.ts';
import type { Context } from './context.ts';
import { ErrorCode, limitExceeded } from './errors.ts';
import { createCostCache, createCostEstimator, TooManyNodesError, type CostBounds } from './graph/cost.ts';
import { tenantOf } from './upstream/credentials.ts';

export interface GateCounters {
  /** Operations executing now, and the weight they hold. */
  inFlight: number;
  weightInFlight: number;
  /** Operations waiting now. */
  waiting: number;
  /** Operations admitted so far, and how many of them had to wait first. */
  admitted: number;
  waited: number;
}

interface Waiter {
  weight: number;
  admit: () => void;
}

interface Tenant extends GateCounters {
  queue: Waiter[];
}

const idle = (): Tenant => ({ inFlight: 0, weightInFlight: 0, waiting: 0, admitted: 0, waited: 0, queue: [] });

/**
 * A semaphore over a budget of weights, global and per tenant. An operation runs once its
 * weight fits both its tenant's budget and the global one; so one tenant never holds more
 * than `tenantBudget`, and the rest stays for the others. Waiting operations are admitted
 * tenant by tenant in turn (in arrival order within a tenant): a cheap operation of one
 * tenant waits behind at most one operation of each other tenant, never behind another
 * tenant's whole queue. A tenant at its own budget is passed over; a tenant whose turn it
 * is but whose head does not fit the global budget keeps its turn, so a heavy operation is
 * not overtaken forever by light ones.
 *
 * No weight counts for more than an eighth of the global budget (nor more than a tenant's
 * budget): an estimate assumes every list is full, which a big query rarely is, so at least
 * eight operations always run together.
 */
export class WeightedGate {
  #free: number;
  readonly #tenants = new Map<string, Tenant>();
  /** Tenants with waiting operations, in turn order; `#turn` indexes the next one. */
  readonly #ring: string[] = [];
  #turn = 0;
  readonly #totals: GateCounters = { inFlight: 0, weightInFlight: 0, waiting: 0, admitted: 0, waited: 0 };

  constructor(
    readonly budget: number,
    readonly tenantBudget: number = budget,
  ) {
    this.#free = budget;
  }

  /** The weight an operation of this cost holds while it runs. */
  weightOf(cost: number): number {
    return Math.max(1, Math.min(Math.ceil(cost), Math.ceil(this.budget / 8), this.tenantBudget));
  }

  /** Resolves once `cost` is admitted for `tenant`, with the function that gives it back. */
  async acquire(tenant: string, cost: number): Promise<() => void> {
    const weight = this.weightOf(cost);
    let t = this.#tenants.get(tenant);
    if (t === undefined) this.#tenants.set(tenant, (t = idle()));
    if (t.queue.length === 0 && this.#fits(t, weight) && !this.#anyoneHeldByGlobal()) {
      this.#admit(t, weight, false);
    } else {
      await new Promise<void>((admit) => {
        t.queue.push({ weight, admit });
        t.waiting++;
        this.#totals.waiting++;
        if (t.queue.length === 1) this.#ring.push(tenant);
        this.#drain();
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#release(tenant, t, weight);
    };
  }

  /** What runs and waits now, overall and per tenant with operations running or waiting. */
  counters(): GateCounters & { tenants: Record<string, GateCounters> } {
    const tenants: Record<string, GateCounters> = {};
    for (const [key, { queue: _queue, ...counters }] of this.#tenants) tenants[key] = counters;
    return { ...this.#totals, tenants };
  }

  /**
   * Whether a waiting operation is held only by the global budget (its tenant has room).
   * Then a newcomer waits its turn too. Heads held by their own tenant's budget do not hold
   * others back.
   */
  #anyoneHeldByGlobal(): boolean {
    return this.#ring.some((key) => {
      const t = this.#tenants.get(key)!;
      return t.weightInFlight + t.queue[0]!.weight <= this.tenantBudget;
    });
  }

  #fits(t: Tenant, weight: number): boolean {
    return this.#free >= weight && t.weightInFlight + weight <= this.tenantBudget;
  }

  #admit(t: Tenant, weight: number, waited: boolean): void {
    this.#free -= weight;
    for (const c of [t, this.#totals]) {
      c.inFlight++;
      c.weightInFlight += weight;
      c.admitted++;
      if (waited) {
        c.waited++;
        c.waiting--;
      }
    }
  }

  #release(key: string, t: Tenant, weight: number): void {
    this.#free += weight;
    for (const c of [t, this.#totals]) {
      c.inFlight--;
      c.weightInFlight -= weight;
    }
    if (t.inFlight === 0 && t.queue.length === 0) this.#tenants.delete(key);
    this.#drain();
  }

  /** Admits waiting operations tenant by tenant until the next in turn does not fit. */
  #drain(): void {
    let passedOver = 0;
    while (this.#ring.length > 0 && passedOver < this.#ring.length) {
      const index = this.#turn % this.#ring.length;
      const t = this.#tenants.get(this.#ring[index]!)!;
      const head = t.queue[0]!;
      if (t.weightInFlight + head.weight > this.tenantBudget) {
        this.#turn = index + 1;
        passedOver++;
        continue;
      }
      if (this.#free < head.weight) return;
      t.queue.shift();
      this.#admit(t, head.weight, true);
      head.admit();
      passedOver = 0;
      if (t.queue.length === 0) {
        this.#ring.splice(index, 1);
        this.#turn = index;
      } else this.#turn = index + 1;
    }
  }
}

export interface AdmissionOptions {
  schema: GraphQLSchema;
  limits: OperationLimits;
  /** Undefined: no gate (MAX_OBJECTS_IN_FLIGHT=0); the cost limit still applies. */
  gate: WeightedGate | undefined;
  /** Bounds of the lists sized by their arguments (src/graph/cost.ts). */
  costBounds: CostBounds;
  /** Told how long each admitted operation waited for the gate, in ms (metrics). */
  onAdmitted?: (waitedMs: number) => void;
}

/**
 * Weighs each operation before it executes by its cost (src/graph/cost.ts: the objects its
 * answer can hold), rejects one over MAX_QUERY_COST with QUERY_TOO_COMPLEX, and admits the
 * rest through the gate under their tenant (org and sandbox). Once the CPU is saturated,
 * more operations in flight add no throughput, only memory: each holds its upstream answers
 * for longer, they survive young-generation GCs and the heap grows. Cheap operations
 * (`flow(id)`) barely count, so I/O-bound traffic keeps its concurrency.
 */
export function admissionPlugin(options: AdmissionOptions): ApolloServerPlugin<Context> {
  const { schema, limits, gate } = options;
  // the cost depends on the document and a few variables: weighed once per distinct combination
  const costOf = createCostCache(schema, createCostEstimator(schema, options.costBounds), limits.maxNodes);
  return {
    async requestDidStart() {
      let release: (() => void) | undefined;
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          if (operation === undefined) return;
          let cost: number | undefined;
          try {
            cost = costOf(document, operation.name?.value, request.variables ?? {});
          } catch (err) {
            if (!(err instanceof TooManyNodesError)) throw err;
            throw limitExceeded(
              ErrorCode.QUERY_TOO_COMPLEX,
              `Selection limit of ${limits.maxNodes} exceeded with fragments expanded: the cost of the operation cannot be estimated.`,
            );
          }
          if (cost !== undefined && cost > limits.maxCost)
            throw limitExceeded(
              ErrorCode.QUERY_TOO_COMPLEX,
              `Cost limit of ${limits.maxCost} exceeded, found ${cost}: the answer could hold that many objects (each list counted full: its first, or its assumed size when it takes none).`,
            );
          if (gate === undefined) return;
          const asked = performance.now();
          release = await gate.acquire(tenantOf(contextValue.credentials), cost ?? 1);
          options.onAdmitted?.(performance.now() - asked);
        },
        async willSendResponse() {
          release?.();
          release = undefined;
        },
      };
    },
  };
}
