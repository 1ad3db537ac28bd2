import type { Resolvers } from '../generated/graphql.ts';
import { connectionResolvers as linkResolvers } from './connection/resolvers.ts';
import { datasetResolvers } from './dataset/resolvers.ts';
import { flowResolvers } from './flow/resolvers.ts';
import { liveResolvers } from './live/resolvers.ts';
import { mappingResolvers } from './mapping/resolvers.ts';
import { createMutationResolvers } from './mutation/createResolvers.ts';
import { lifecycleMutationResolvers } from './mutation/lifecycleResolvers.ts';
import { connectionResolvers as relay } from './paging.ts';
import { schemaResolvers } from './schema/resolvers.ts';
import { DateTime, JSONScalar, SafeInt } from './scalars.ts';
import { specResolvers } from './spec/resolvers.ts';
import { wizardResolvers } from './wizard/resolvers.ts';
import { checkingArgumentIds, checkingIds, checkingInputIds, ID_ARGUMENTS } from './idArguments.ts';

const RELAY_TYPES = [
  'FlowConnection',
  'FlowRunConnection',
  'ConnectionSpecConnection',
  'FlowSpecConnection',
  'BaseConnectionConnection',
  'SourceConnectionConnection',
  'TargetConnectionConnection',
  'DatasetConnection',
  'BatchConnection',
  'XdmSchemaConnection',
  'SourceObjectConnection',
] as const;

const parts: Resolvers[] = [
  flowResolvers,
  specResolvers,
  linkResolvers,
  datasetResolvers,
  schemaResolvers,
  mappingResolvers,
  createMutationResolvers,
  lifecycleMutationResolvers,
  wizardResolvers,
  liveResolvers,
];

/** Every resolver map, merged type by type. */
export const resolvers: Resolvers = {
  DateTime,
  JSON: JSONScalar,
  SafeInt,
  ...Object.fromEntries(RELAY_TYPES.map((t) => [t, relay])),
};
for (const part of parts) {
  for (const [type, fields] of Object.entries(part)) {
    const target = resolvers as Record<string, object>;
    target[type] = { ...(target[type] ?? {}), ...fields };
  }
}

// every root field with id arguments checks them before its resolver runs
for (const [type, fields] of Object.entries(ID_ARGUMENTS)) {
  const target = (resolvers as Record<string, Record<string, unknown>>)[type] ?? {};
  for (const [field, args] of Object.entries(fields)) {
    const resolve = target[field];
    if (typeof resolve !== 'function') throw new Error(`${type}.${field} has no resolver to check ids for`);
    target[field] = checkingIds(resolve as Parameters<typeof checkingIds>[0], args);
  }
}

// every root field that takes an `input` checks the ids in it first (a no-op for the others)
for (const type of ['Query', 'Mutation']) {
  const target = (resolvers as Record<string, Record<string, unknown>>)[type] ?? {};
  for (const [field, resolve] of Object.entries(target))
    if (typeof resolve === 'function')
      target[field] = checkingInputIds(resolve as Parameters<typeof checkingInputIds>[0]);
}

// every root field checks the ids in its other input-object arguments (its filter) first
type Checked = Parameters<typeof checkingArgumentIds>[0];
const query = (resolvers as Record<string, Record<string, unknown>>)['Query'] ?? {};
for (const [field, resolve] of Object.entries(query))
  if (typeof resolve === 'function') query[field] = checkingArgumentIds(resolve as Checked);
const subscription = (resolvers as Record<string, Record<string, { subscribe?: unknown }>>)['Subscription'] ?? {};
for (const field of Object.values(subscription))
  if (typeof field.subscribe === 'function') field.subscribe = checkingArgumentIds(field.subscribe as Checked);
