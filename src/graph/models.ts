import type { BatchDto, DataSetDto } from '../upstream/catalog/types.ts';
import type {
  ConnectionDto,
  ConnectionSpecDto,
  FlowDto,
  FlowSpecDto,
  RunActivityDto,
  RunDto,
  SourceConnectionDto,
  TargetConnectionDto,
} from '../upstream/flowService/types.ts';
import type { XdmResourceDto } from '../upstream/schemaRegistry/types.ts';

/**
 * What resolvers pass between each other where the upstream Dto alone is not enough.
 * Catalog objects arrive keyed by id, so their models carry the id beside the Dto.
 */
/** A run's activity, with the run it belongs to (activity ids are only unique within their run). */
export type RunActivityModel = RunActivityDto & { runId: string };

export interface DatasetModel {
  id: string;
  dto: DataSetDto;
}

export interface BatchModel {
  id: string;
  dto: BatchDto;
}

export interface PageInfoModel {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** A Relay connection; `totalCount` is asked of the upstream only when selected. */
export interface ConnectionModel<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfoModel;
  totalCount: () => Promise<number | null> | number | null;
}

export type FlowConnectionModel = ConnectionModel<FlowDto>;
export type FlowRunConnectionModel = ConnectionModel<RunDto>;
export type BaseConnectionConnectionModel = ConnectionModel<ConnectionDto>;
export type SourceConnectionConnectionModel = ConnectionModel<SourceConnectionDto>;
export type TargetConnectionConnectionModel = ConnectionModel<TargetConnectionDto>;
export type DatasetConnectionModel = ConnectionModel<DatasetModel>;
export type BatchConnectionModel = ConnectionModel<BatchModel>;
export type XdmSchemaConnectionModel = ConnectionModel<XdmResourceDto>;
export type ConnectionSpecConnectionModel = ConnectionModel<ConnectionSpecDto>;
export type FlowSpecConnectionModel = ConnectionModel<FlowSpecDto>;

export type FlowHealthValue = 'HEALTHY' | 'LATE' | 'FAILING' | 'DISABLED' | 'NEVER_RUN';

export interface SpecHealthCountModel {
  connectionSpecId: string;
  count: number;
  byHealth: Array<{ health: FlowHealthValue; count: number }>;
}

export interface FleetHealthModel {
  total: number;
  byHealth: Array<{ health: FlowHealthValue; count: number }>;
  bySourceConnectionSpec: SpecHealthCountModel[];
}
