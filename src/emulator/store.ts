import { jsonText } from './jsonText.ts';
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
  readonly connections = new Map<string, ConnectionDto>();
  readonly sourceConnections = new Map<string, SourceConnectionDto>();
  readonly targetConnections = new Map<string, TargetConnectionDto>();
  readonly flows = new Map<string, FlowDto>();
  readonly runs = new Map<string, RunDto>();
  readonly dataSets = new Map<string, DataSetDto>();
  readonly batches = new Map<string, BatchDto>();
  /** Tenant XDM resources keyed by `$id`. */
  readonly schemas = new Map<string, XdmResourceDto>();
  readonly classes = new Map<string, XdmResourceDto>();
  readonly fieldGroups = new Map<string, XdmResourceDto>();
  /** Every version of a mapping set, index = version. */
  readonly mappingSets = new Map<string, MappingSetDto[]>();

  constructor(
    readonly org: string,
    readonly sandbox: string,
    readonly sandboxId: string,
    readonly tenantId: string,
  ) {}

  counts(): Record<ResourceKind, number> {
    const counts = {} as Record<ResourceKind, number>;
    for (const kind of RESOURCE_KINDS) counts[kind] = this[kind].size;
    return counts;
  }
}

export interface InletRecord {
  inletId: string;
  org: string;
  sandbox: string;
  connectionId: string;
}

export interface PersistedState {
  format: 'ingestion-graph-emulator/1';
  partitions: Array<{
    org: string;
    sandbox: string;
    sandboxId: string;
    tenantId: string;
    resources: Record<ResourceKind, Array<[string, unknown]>>;
  }>;
  tokens: Array<[string, TokenRecord]>;
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
  readonly tokens = new Map<string, TokenRecord>();

  partition(org: string, sandbox: string): Partition {
    const key = `${org}\u0000${sandbox}`;
    let part = this.partitions.get(key);
    if (part === undefined) {
      const sandboxId = sandbox === 'prod' ? DOC_PROD_SANDBOX_ID : derivedUuid(`${org}/${sandbox}`);
      part = new Partition(org, sandbox, sandboxId, tenantIdFor(org));
      this.partitions.set(key, part);
    }
    return part;
  }

  allPartitions(): Partition[] {
    return [...this.partitions.values()];
  }

  clear(): void {
    this.partitions.clear();
    this.inlets.clear();
  }

  state(): Array<{ org: string; sandbox: string; counts: Record<ResourceKind, number> }> {
    return this.allPartitions().map((p) => ({ org: p.org, sandbox: p.sandbox, counts: p.counts() }));
  }

  toJSON(): PersistedState {
    return {
      format: 'ingestion-graph-emulator/1',
      partitions: this.allPartitions().map((p) => {
        const resources = {} as Record<ResourceKind, Array<[string, unknown]>>;
        for (const kind of RESOURCE_KINDS) resources[kind] = [...(p[kind] as Map<string, unknown>).entries()];
        return { org: p.org, sandbox: p.sandbox, sandboxId: p.sandboxId, tenantId: p.tenantId, resources };
      }),
      tokens: [...this.tokens.entries()],
    };
  }

  load(state: PersistedState): void {
    // the file may come from another version: its format is checked, not trusted
    const format: unknown = state.format;
    if (format !== 'ingestion-graph-emulator/1') throw new Error(`unknown emulator state format ${jsonText(format)}`);
    this.clear();
    this.tokens.clear();
    for (const saved of state.partitions) {
      const part = new Partition(saved.org, saved.sandbox, saved.sandboxId, saved.tenantId);
      this.partitions.set(`${saved.org}\u0000${saved.sandbox}`, part);
      for (const kind of RESOURCE_KINDS) {
        const map = part[kind] as Map<string, unknown>;
        // a file written before a resource kind existed has no entry for it
        const kept = saved.resources[kind] as Array<[string, unknown]> | undefined;
        for (const [id, value] of kept ?? []) map.set(id, value);
      }
      for (const conn of part.connections.values()) this.indexInlet(part, conn);
    }
    for (const [token, record] of state.tokens) this.tokens.set(token, record);
  }

  /** Registers the inlet of an HTTP API streaming base connection (§6.1). */
  indexInlet(part: Partition, conn: ConnectionDto): void {
    const inletId = conn.auth?.params['inletId'];
    if (typeof inletId === 'string') {
      this.inlets.set(inletId, { inletId, org: part.org, sandbox: part.sandbox, connectionId: conn.id });
    }
  }
}
