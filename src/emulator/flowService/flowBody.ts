import type { RouteContext } from '../router.ts';
import type {
  FlowDto,
  FlowSpecDto,
  SourceConnectionDto,
  TargetConnectionDto,
} from '../../upstream/flowService/types.ts';
import { FLOW_CODES } from './codes.ts';
import { badRequest } from './replies.ts';

function idList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw badRequest(`${field} must be a non-empty array of ids.`);
  }
  return value as string[];
}

/**
 * Every source connection must exist here and use a spec in `flowSpec.sourceConnectionSpecIds`,
 * every target one in `targetConnectionSpecIds` (§9.1, `FLOW-1413`-style, naming the id).
 */
export function resolveConnections(ctx: RouteContext, flowSpec: FlowSpecDto, body: Record<string, unknown>) {
  const sources = idList(body['sourceConnectionIds'], 'sourceConnectionIds').map((id): SourceConnectionDto => {
    const sc = ctx.part.sourceConnections.get(id);
    if (sc === undefined) throw badRequest(`Source connection ${id} does not exist.`, FLOW_CODES.SPEC_INVALID);
    if (!flowSpec.sourceConnectionSpecIds.includes(sc.connectionSpec.id)) {
      throw badRequest(
        `The spec ID provided is invalid: source connection ${id} uses connection spec ${sc.connectionSpec.id}, which flow spec ${flowSpec.name} (${flowSpec.id}) does not accept as a source.`,
        FLOW_CODES.SPEC_INVALID,
      );
    }
    return sc;
  });
  const targets = idList(body['targetConnectionIds'], 'targetConnectionIds').map((id): TargetConnectionDto => {
    const tc = ctx.part.targetConnections.get(id);
    if (tc === undefined) throw badRequest(`Target connection ${id} does not exist.`, FLOW_CODES.SPEC_INVALID);
    if (!flowSpec.targetConnectionSpecIds.includes(tc.connectionSpec.id)) {
      throw badRequest(
        `The spec ID provided is invalid: target connection ${id} uses connection spec ${tc.connectionSpec.id}, which flow spec ${flowSpec.name} (${flowSpec.id}) does not accept as a target.`,
        FLOW_CODES.SPEC_INVALID,
      );
    }
    return tc;
  });
  return { sources, targets };
}

/** `properties.isSourceFlow` repeats the flow spec's attribute, as the Platform's flows do. */
export function inheritedAttributes(
  ctx: RouteContext,
  sources: readonly SourceConnectionDto[],
  targets: readonly TargetConnectionDto[],
  isSourceFlow: boolean,
): FlowDto['inheritedAttributes'] {
  return {
    properties: { isSourceFlow },
    sourceConnections: sources.map((sc) => {
      const base = sc.baseConnectionId === undefined ? undefined : ctx.part.connections.get(sc.baseConnectionId);
      return {
        id: sc.id,
        connectionSpec: sc.connectionSpec,
        ...(base === undefined ? {} : { baseConnection: { id: base.id, connectionSpec: base.connectionSpec } }),
      };
    }),
    targetConnections: targets.map((tc) => ({ id: tc.id, connectionSpec: tc.connectionSpec })),
  };
}
