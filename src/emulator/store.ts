import { createHash } from 'node:crypto';
import type {
  ConnectionDto,
  FlowDto,
  RunDto,
  SourceConnectionDto,
  TargetConnectionDto,
} from '../upstream/flowService/types.ts';
import type { BatchDto, DataSetDto } from '../upstream/catalog/types.ts';
import type { XdmResourceDto } from '../upstream/schemaRegistry/types.ts';
import type { MappingSetDto } from '../upstream/dataPrep/types.ts';
import { TrackedMap } from './trackedMap.ts';
import { InstanceIndex } from './flowService/instanceIndex.ts';

/** The resource kinds one org+sandbox holds; `/__emulator/state` counts exactly these. */
export const RESOURCE_KINDS = [
  'connections',
  'sourceConnections',
  'targetConnections',
  'flows',
  'runs',
  'dataSets',
  'batches',
  'schemas',
  'classes',
  'fieldGroups',
  'mappingSets',
] as const;

export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Everything of one org and one sandbox. Nothing in here is ever visible from another. */
export class Partition {
  readonly connections = new TrackedMap<ConnectionDto>();
  readonly sourceConnections = new TrackedMap<SourceConnectionDto>();
  readonly targetConnections = new TrackedMap<TargetConnectionDto>();
  readonly flows = new TrackedMap<FlowDto>();
  readonly runs = new TrackedMap<RunDto>();
  readonly dataSets = new TrackedMap<DataSetDto>();
  readonly batches = new TrackedMap<BatchDto>();
  /** Tenant XDM resources keyed by `$id`. */
  readonly schemas = new TrackedMap<XdmResourceDto>();
  readonly classes = new TrackedMap<XdmResourceDto>();
  readonly fieldGroups = new TrackedMap<XdmResourceDto>();
  /** Every version of a mapping set, index = version. */
  readonly mappingSets = new TrackedMap<MappingSetDto[]>();
  /** Lookups the list routes make without reading every object (ids, createdAt ranges, these fields). */
  readonly indexes = {
    flows: new InstanceIndex(this.flows, ['sourceConnectionIds[]', 'targetConnectionIds[]']),
    runs: new InstanceIndex(this.runs, ['flowId']),
    sourceConnections: new InstanceIndex(this.sourceConnections, ['baseConnectionId']),
    targetConnections: new InstanceIndex(this.targetConnections, ['params.dataSetId']),
  };

  constructor(
    readonly org: string,
    readonly sandbox: string,
    readonly sandboxId: string,
    readonly tenantId: string,
    onChange: (change: StoreChange) => void = () => {},
  ) {
    for (const kind of RESOURCE_KINDS) {
      (this[kind] as TrackedMap<unknown>).track((id, value) =>
        onChange(
          value === undefined ? { op: 'delete', org, sandbox, kind, id } : { op: 'set', org, sandbox, kind, id, value },
        ),
      );
    }
  }

  counts(): Record<ResourceKind, number> {
    const counts = {} as Record<ResourceKind, number>;
    for (const kind of RESOURCE_KINDS) counts[kind] = this[kind].size;
    return counts;
  }
}

/**
 * One change to the store, as the journal logs it. Values are the stored objects
 * themselves (serialised when the journal writes them); inlets are derived, never logged.
 */
export type StoreChange =
  | { op: 'set'; org: string; sandbox: string; kind: ResourceKind; id: string; value: unknown }
  | { op: 'delete'; org: string; sandbox: string; kind: ResourceKind; id: string }
  | { op: 'partition'; org: string; sandbox: string }
  | { op: 'setToken'; id: string; value: TokenRecord }
  | { op: 'deleteToken'; id: string }
  | { op: 'clear' };

export interface InletRecord {
  inletId: string;
  org: string;
  sandbox: string;
  connectionId: string;
}

export const STATE_FORMAT = 'ingestion-graph-emulator/1';

export interface PersistedState {
  format: typeof STATE_FORMAT;
  partitions: Array<{
    org: string;
    sandbox: string;
    sandboxId: string;
    tenantId: string;
    /** A kind may be absent from a file written before it existed. */
    resources: Partial<Record<ResourceKind, Array<[string, unknown]>>>;
  }>;
  tokens: Array<[string, TokenRecord]>;
  /** The last journal change this state includes (absent in files written before the journal). */
  journalSeq?: number;
}

export interface TokenRecord {
  clientId: string;
  expiresAt: number;
}

/** The documented sample sandbox id for `prod` (§10.3); other sandboxes get a stable derived one. */
const DOC_PROD_SANDBOX_ID = '1bd86660-c5da-11e9-93d4-6d5fc3a66a8e';

function derivedUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A tenant namespace of letters and digits derived from the org, e.g. `acme` → `_acme`. */
export function tenantIdFor(org: string): string {
  const base = org
    .split('@')[0]!
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  const id = base.length > 0 ? base.slice(0, 16) : createHash('sha256').update(org).digest('hex').slice(0, 12);
  return /^[a-z]/.test(id) ? id : `t${id}`;
}

export class Store {
  private readonly partitions = new Map<string, Partition>();
  /** Inlet URLs carry no org: the collection routes find their partition here. */
  readonly inlets = new Map<string, InletRecord>();
  readonly tokens = new TrackedMap<TokenRecord>().track((id, value) =>
    this.changed(value === undefined ? { op: 'deleteToken', id } : { op: 'setToken', id, value }),
  );
  private listener: ((change: StoreChange) => void) | undefined;

  /** Reports every later change to `listener` (the journal); undefined stops reporting. */
  observe(listener: ((change: StoreChange) => void) | undefined): void {
    this.listener = listener;
  }

  private changed(change: StoreChange): void {
    this.listener?.(change);
  }

  partition(org: string, sandbox: string): Partition {
    const key = `${org}\u0000${sandbox}`;
    let part = this.partitions.get(key);
    if (part === undefined) {
      const sandboxId = sandbox === 'prod' ? DOC_PROD_SANDBOX_ID : derivedUuid(`${org}/${sandbox}`);
      part = this.addPartition(org, sandbox, sandboxId, tenantIdFor(org));
      this.changed({ op: 'partition', org, sandbox });
    }
    return part;
  }

  private addPartition(org: string, sandbox: string, sandboxId: string, tenantId: string): Partition {
    const part = new Partition(org, sandbox, sandboxId, tenantId, (change) => this.changed(change));
    this.partitions.set(`${org}\u0000${sandbox}`, part);
    return part;
  }

  allPartitions(): Partition[] {
    return [...this.partitions.values()];
  }

  clear(): void {
    this.partitions.clear();
    this.inlets.clear();
    this.changed({ op: 'clear' });
  }

  state(): Array<{ org: string; sandbox: string; counts: Record<ResourceKind, number> }> {
    return this.allPartitions().map((p) => ({ org: p.org, sandbox: p.sandbox, counts: p.counts() }));
  }

  toJSON(): PersistedState {
    return {
      format: STATE_FORMAT,
      partitions: this.allPartitions().map((p) => {
        const resources = {} as Record<ResourceKind, Array<[string, unknown]>>;
        for (const kind of RESOURCE_KINDS) resources[kind] = [...(p[kind] as Map<string, unknown>).entries()];
        return { org: p.org, sandbox: p.sandbox, sandboxId: p.sandboxId, tenantId: p.tenantId, resources };
      }),
      tokens: [...this.tokens.entries()],
    };
  }

  load(state: PersistedState): void {
    this.clear();
    this.tokens.clear();
    for (const saved of state.partitions) {
      const part = this.addPartition(saved.org, saved.sandbox, saved.sandboxId, saved.tenantId);
      for (const kind of RESOURCE_KINDS) {
        const map = part[kind] as Map<string, unknown>;
        // a file written before a resource kind existed has no entry for it
        for (const [id, value] of saved.resources[kind] ?? []) map.set(id, value);
      }
    }
    for (const [token, record] of state.tokens) this.tokens.set(token, record);
    this.reindexInlets();
  }

  /** Replays one journalled change. */
  apply(change: StoreChange): void {
    switch (change.op) {
      case 'set':
        (this.partition(change.org, change.sandbox)[change.kind] as Map<string, unknown>).set(change.id, change.value);
        break;
      case 'delete':
        this.partition(change.org, change.sandbox)[change.kind].delete(change.id);
        break;
      case 'partition':
        this.partition(change.org, change.sandbox);
        break;
      case 'setToken':
        this.tokens.set(change.id, change.value);
        break;
      case 'deleteToken':
        this.tokens.delete(change.id);
        break;
      case 'clear':
        this.clear();
        break;
    }
  }

  /** Rebuilds the inlet index from the connections (after a load or a replay). */
  reindexInlets(): void {
    this.inlets.clear();
    for (const part of this.partitions.values())
      for (const conn of part.connections.values()) this.indexInlet(part, conn);
  }

  /** Registers the inlet of an HTTP API streaming base connection (§6.1). */
  indexInlet(part: Partition, conn: ConnectionDto): void {
    const inletId = conn.auth?.params['inletId'];
    if (typeof inletId === 'string') {
      this.inlets.set(inletId, { inletId, org: part.org, sandbox: part.sandbox, connectionId: conn.id });
    }
  }
}
