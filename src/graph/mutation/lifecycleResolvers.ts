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
    enableDataflow: (_p, { input }, ctx) => setDataflowState(ctx, input.id, 'enabled'),
    disableDataflow: (_p, { input }, ctx) => setDataflowState(ctx, input.id, 'disabled'),
    runDataflow: (_p, { input }, ctx) => runDataflow(ctx, input),
    deleteDataflow: (_p, { input }, ctx) => deleteDataflow(ctx, input.id, input.deleteCreatedResources === true),
    sendStreamingRecords: (_p, { input }, ctx) => sendStreamingRecords(ctx, input),
  },
};
