import type { Resolvers } from '../../generated/graphql.ts';
import { deleteDataflow } from '../../orchestration/deleteDataflow.ts';
import { runDataflow } from '../../orchestration/runDataflow.ts';
import { sendStreamingRecords } from '../../orchestration/sendStreamingRecords.ts';
import { setDataflowState } from '../../orchestration/setDataflowState.ts';
import { updateDataflow } from '../../orchestration/updateDataflow.ts';

/** Mutations on an existing dataflow and its inlet; each delegates to one orchestration. */
export const lifecycleMutationResolvers: Resolvers = {
  Mutation: {
    updateDataflow: (_p, { input }, ctx) => updateDataflow(ctx, input),
    enableDataflow: (_p, { id }, ctx) => setDataflowState(ctx, id, 'enabled'),
    disableDataflow: (_p, { id }, ctx) => setDataflowState(ctx, id, 'disabled'),
    runDataflow: (_p, { input }, ctx) => runDataflow(ctx, input),
    deleteDataflow: (_p, { id, deleteCreatedResources }, ctx) =>
      deleteDataflow(ctx, id, deleteCreatedResources === true),
    sendStreamingRecords: (_p, args, ctx) => sendStreamingRecords(ctx, args),
  },
};
