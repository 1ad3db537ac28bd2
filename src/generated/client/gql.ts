/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation CreateDataflow($input: CreateDataflowInput!) {\n  createDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    replayed\n    steps {\n      name\n      status\n      resourceId\n      error\n    }\n    flow {\n      id\n      name\n      etag\n      state\n      health\n      schedule {\n        id\n        frequency\n        interval\n        startTime\n      }\n    }\n    dataset {\n      id\n      name\n    }\n    targetSchema {\n      id\n      title\n    }\n    mappingSet {\n      id\n    }\n  }\n}": typeof types.CreateDataflowDocument,
    "query Dashboard {\n  flows(first: 10) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n      health\n      nextRunAt\n      flowSpec {\n        id\n        name\n      }\n      sourceConnections {\n        id\n        name\n        baseConnection {\n          id\n          name\n          connectionSpec {\n            id\n            name\n          }\n        }\n      }\n      targetConnections {\n        id\n        dataset {\n          id\n          name\n          schema {\n            id\n            title\n          }\n        }\n      }\n      mappingSet {\n        id\n      }\n      lastRun {\n        id\n        status\n        startedAt\n        metrics {\n          id\n          inputRecords\n          outputRecords\n          failedRecords\n        }\n      }\n    }\n  }\n}": typeof types.DashboardDocument,
    "mutation DeleteDataflow($input: DeleteDataflowInput!) {\n  deleteDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    deletedFlowId\n    steps {\n      name\n      status\n      resourceId\n      error\n    }\n  }\n}": typeof types.DeleteDataflowDocument,
    "mutation DisableDataflow($input: DisableDataflowInput!) {\n  disableDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    flow {\n      id\n      state\n      health\n      etag\n    }\n  }\n}": typeof types.DisableDataflowDocument,
    "mutation EnableDataflow($input: EnableDataflowInput!) {\n  enableDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    flow {\n      id\n      state\n      health\n      etag\n    }\n  }\n}": typeof types.EnableDataflowDocument,
    "query Fleet {\n  fleetHealth {\n    total\n    byHealth {\n      health\n      count\n    }\n    bySourceConnectionSpec {\n      connectionSpec {\n        id\n        name\n      }\n      count\n      byHealth {\n        health\n        count\n      }\n    }\n  }\n  failing: flows(first: 20, filter: {state: ENABLED}) {\n    nodes {\n      id\n      name\n      health\n      consecutiveFailures\n      lastSuccessfulRun {\n        id\n        completedAt\n      }\n      errorSummary {\n        code\n        message\n      }\n    }\n  }\n}": typeof types.FleetDocument,
    "query FlowById($id: ID!) {\n  flow(id: $id) {\n    id\n    name\n    health\n    lastRun {\n      id\n      status\n    }\n  }\n}": typeof types.FlowByIdDocument,
    "subscription FlowRunUpdated($flowIds: [ID!], $statuses: [RunStatus!]) {\n  flowRunUpdated(filter: {flowIds: $flowIds, statuses: $statuses}) {\n    id\n    flowId\n    status\n    completedAt\n    errors {\n      code\n      message\n    }\n    flow {\n      id\n      name\n      health\n    }\n  }\n}": typeof types.FlowRunUpdatedDocument,
    "mutation RunDataflow($input: RunDataflowInput!) {\n  runDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    run {\n      id\n      status\n      windowStart\n      windowEnd\n    }\n  }\n}": typeof types.RunDataflowDocument,
    "mutation UpdateDataflow($input: UpdateDataflowInput!) {\n  updateDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    flow {\n      id\n      name\n      description\n      etag\n      schedule {\n        id\n        frequency\n        interval\n      }\n    }\n  }\n}": typeof types.UpdateDataflowDocument,
};
const documents: Documents = {
    "mutation CreateDataflow($input: CreateDataflowInput!) {\n  createDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    replayed\n    steps {\n      name\n      status\n      resourceId\n      error\n    }\n    flow {\n      id\n      name\n      etag\n      state\n      health\n      schedule {\n        id\n        frequency\n        interval\n        startTime\n      }\n    }\n    dataset {\n      id\n      name\n    }\n    targetSchema {\n      id\n      title\n    }\n    mappingSet {\n      id\n    }\n  }\n}": types.CreateDataflowDocument,
    "query Dashboard {\n  flows(first: 10) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n      health\n      nextRunAt\n      flowSpec {\n        id\n        name\n      }\n      sourceConnections {\n        id\n        name\n        baseConnection {\n          id\n          name\n          connectionSpec {\n            id\n            name\n          }\n        }\n      }\n      targetConnections {\n        id\n        dataset {\n          id\n          name\n          schema {\n            id\n            title\n          }\n        }\n      }\n      mappingSet {\n        id\n      }\n      lastRun {\n        id\n        status\n        startedAt\n        metrics {\n          id\n          inputRecords\n          outputRecords\n          failedRecords\n        }\n      }\n    }\n  }\n}": types.DashboardDocument,
    "mutation DeleteDataflow($input: DeleteDataflowInput!) {\n  deleteDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    deletedFlowId\n    steps {\n      name\n      status\n      resourceId\n      error\n    }\n  }\n}": types.DeleteDataflowDocument,
    "mutation DisableDataflow($input: DisableDataflowInput!) {\n  disableDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    flow {\n      id\n      state\n      health\n      etag\n    }\n  }\n}": types.DisableDataflowDocument,
    "mutation EnableDataflow($input: EnableDataflowInput!) {\n  enableDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    flow {\n      id\n      state\n      health\n      etag\n    }\n  }\n}": types.EnableDataflowDocument,
    "query Fleet {\n  fleetHealth {\n    total\n    byHealth {\n      health\n      count\n    }\n    bySourceConnectionSpec {\n      connectionSpec {\n        id\n        name\n      }\n      count\n      byHealth {\n        health\n        count\n      }\n    }\n  }\n  failing: flows(first: 20, filter: {state: ENABLED}) {\n    nodes {\n      id\n      name\n      health\n      consecutiveFailures\n      lastSuccessfulRun {\n        id\n        completedAt\n      }\n      errorSummary {\n        code\n        message\n      }\n    }\n  }\n}": types.FleetDocument,
    "query FlowById($id: ID!) {\n  flow(id: $id) {\n    id\n    name\n    health\n    lastRun {\n      id\n      status\n    }\n  }\n}": types.FlowByIdDocument,
    "subscription FlowRunUpdated($flowIds: [ID!], $statuses: [RunStatus!]) {\n  flowRunUpdated(filter: {flowIds: $flowIds, statuses: $statuses}) {\n    id\n    flowId\n    status\n    completedAt\n    errors {\n      code\n      message\n    }\n    flow {\n      id\n      name\n      health\n    }\n  }\n}": types.FlowRunUpdatedDocument,
    "mutation RunDataflow($input: RunDataflowInput!) {\n  runDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    run {\n      id\n      status\n      windowStart\n      windowEnd\n    }\n  }\n}": types.RunDataflowDocument,
    "mutation UpdateDataflow($input: UpdateDataflowInput!) {\n  updateDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    flow {\n      id\n      name\n      description\n      etag\n      schedule {\n        id\n        frequency\n        interval\n      }\n    }\n  }\n}": types.UpdateDataflowDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateDataflow($input: CreateDataflowInput!) {\n  createDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    replayed\n    steps {\n      name\n      status\n      resourceId\n      error\n    }\n    flow {\n      id\n      name\n      etag\n      state\n      health\n      schedule {\n        id\n        frequency\n        interval\n        startTime\n      }\n    }\n    dataset {\n      id\n      name\n    }\n    targetSchema {\n      id\n      title\n    }\n    mappingSet {\n      id\n    }\n  }\n}"): (typeof documents)["mutation CreateDataflow($input: CreateDataflowInput!) {\n  createDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    replayed\n    steps {\n      name\n      status\n      resourceId\n      error\n    }\n    flow {\n      id\n      name\n      etag\n      state\n      health\n      schedule {\n        id\n        frequency\n        interval\n        startTime\n      }\n    }\n    dataset {\n      id\n      name\n    }\n    targetSchema {\n      id\n      title\n    }\n    mappingSet {\n      id\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Dashboard {\n  flows(first: 10) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n      health\n      nextRunAt\n      flowSpec {\n        id\n        name\n      }\n      sourceConnections {\n        id\n        name\n        baseConnection {\n          id\n          name\n          connectionSpec {\n            id\n            name\n          }\n        }\n      }\n      targetConnections {\n        id\n        dataset {\n          id\n          name\n          schema {\n            id\n            title\n          }\n        }\n      }\n      mappingSet {\n        id\n      }\n      lastRun {\n        id\n        status\n        startedAt\n        metrics {\n          id\n          inputRecords\n          outputRecords\n          failedRecords\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query Dashboard {\n  flows(first: 10) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n      health\n      nextRunAt\n      flowSpec {\n        id\n        name\n      }\n      sourceConnections {\n        id\n        name\n        baseConnection {\n          id\n          name\n          connectionSpec {\n            id\n            name\n          }\n        }\n      }\n      targetConnections {\n        id\n        dataset {\n          id\n          name\n          schema {\n            id\n            title\n          }\n        }\n      }\n      mappingSet {\n        id\n      }\n      lastRun {\n        id\n        status\n        startedAt\n        metrics {\n          id\n          inputRecords\n          outputRecords\n          failedRecords\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteDataflow($input: DeleteDataflowInput!) {\n  deleteDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    deletedFlowId\n    steps {\n      name\n      status\n      resourceId\n      error\n    }\n  }\n}"): (typeof documents)["mutation DeleteDataflow($input: DeleteDataflowInput!) {\n  deleteDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    deletedFlowId\n    steps {\n      name\n      status\n      resourceId\n      error\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DisableDataflow($input: DisableDataflowInput!) {\n  disableDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    flow {\n      id\n      state\n      health\n      etag\n    }\n  }\n}"): (typeof documents)["mutation DisableDataflow($input: DisableDataflowInput!) {\n  disableDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    flow {\n      id\n      state\n      health\n      etag\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation EnableDataflow($input: EnableDataflowInput!) {\n  enableDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    flow {\n      id\n      state\n      health\n      etag\n    }\n  }\n}"): (typeof documents)["mutation EnableDataflow($input: EnableDataflowInput!) {\n  enableDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    flow {\n      id\n      state\n      health\n      etag\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Fleet {\n  fleetHealth {\n    total\n    byHealth {\n      health\n      count\n    }\n    bySourceConnectionSpec {\n      connectionSpec {\n        id\n        name\n      }\n      count\n      byHealth {\n        health\n        count\n      }\n    }\n  }\n  failing: flows(first: 20, filter: {state: ENABLED}) {\n    nodes {\n      id\n      name\n      health\n      consecutiveFailures\n      lastSuccessfulRun {\n        id\n        completedAt\n      }\n      errorSummary {\n        code\n        message\n      }\n    }\n  }\n}"): (typeof documents)["query Fleet {\n  fleetHealth {\n    total\n    byHealth {\n      health\n      count\n    }\n    bySourceConnectionSpec {\n      connectionSpec {\n        id\n        name\n      }\n      count\n      byHealth {\n        health\n        count\n      }\n    }\n  }\n  failing: flows(first: 20, filter: {state: ENABLED}) {\n    nodes {\n      id\n      name\n      health\n      consecutiveFailures\n      lastSuccessfulRun {\n        id\n        completedAt\n      }\n      errorSummary {\n        code\n        message\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query FlowById($id: ID!) {\n  flow(id: $id) {\n    id\n    name\n    health\n    lastRun {\n      id\n      status\n    }\n  }\n}"): (typeof documents)["query FlowById($id: ID!) {\n  flow(id: $id) {\n    id\n    name\n    health\n    lastRun {\n      id\n      status\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription FlowRunUpdated($flowIds: [ID!], $statuses: [RunStatus!]) {\n  flowRunUpdated(filter: {flowIds: $flowIds, statuses: $statuses}) {\n    id\n    flowId\n    status\n    completedAt\n    errors {\n      code\n      message\n    }\n    flow {\n      id\n      name\n      health\n    }\n  }\n}"): (typeof documents)["subscription FlowRunUpdated($flowIds: [ID!], $statuses: [RunStatus!]) {\n  flowRunUpdated(filter: {flowIds: $flowIds, statuses: $statuses}) {\n    id\n    flowId\n    status\n    completedAt\n    errors {\n      code\n      message\n    }\n    flow {\n      id\n      name\n      health\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RunDataflow($input: RunDataflowInput!) {\n  runDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    run {\n      id\n      status\n      windowStart\n      windowEnd\n    }\n  }\n}"): (typeof documents)["mutation RunDataflow($input: RunDataflowInput!) {\n  runDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    run {\n      id\n      status\n      windowStart\n      windowEnd\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateDataflow($input: UpdateDataflowInput!) {\n  updateDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    flow {\n      id\n      name\n      description\n      etag\n      schedule {\n        id\n        frequency\n        interval\n      }\n    }\n  }\n}"): (typeof documents)["mutation UpdateDataflow($input: UpdateDataflowInput!) {\n  updateDataflow(input: $input) {\n    userErrors {\n      field\n      code\n      message\n    }\n    flow {\n      id\n      name\n      description\n      etag\n      schedule {\n        id\n        frequency\n        interval\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;