import type { SourceObject } from '../../generated/graphql.ts';
import type { UserError } from '../../orchestration/userErrors.ts';
import type { ConnectionModel } from '../models.ts';

export type SourceObjectConnectionModel = ConnectionModel<SourceObject>;

/** An explore answer, its objects already cut into one Relay page. */
export interface ExploreResultModel {
  path: string;
  objects: SourceObjectConnectionModel | null;
  userErrors: UserError[];
}
