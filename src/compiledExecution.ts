import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

export interface CompiledExecutionOptions {
  /** Executions of one operation by graphql-js before it is compiled (0: compile at once). */
  compileAfter: number;
}

/** Operations executed so far, compiled and by graphql-js, and operations compiled. */
export interface ExecutionCounters {
  compiledExecutions: number;
  graphqlJsExecutions: number;
  compilations: number;
}

interface Entry {
  executions: number;
  compiled: CompiledQuery | undefined;
}

/**
 * Executes operations with graphql-jit: an operation that has run `compileAfter` times is
 * compiled once into a function of the schema and the document and then runs as that function,
 * whose answers and errors (null propagation, paths, locations) are graphql-js's (verified by
 * test/compiledExecution.test.ts against graphql-js byte for byte). Compiling costs many times
 * one execution, so operations seen once (ad-hoc queries, every distinct document an abuser
 * can send) run on graphql-js and are never compiled.
 *
 * Compiled operations are kept per parsed document: Apollo's document store hands the same
 * DocumentNode for the same query text, and an evicted document takes its compiled
 * operations with it. Variables are coerced by graphql-js first, so a bad variable is
 * answered with graphql-js's own error.
 *
 * A plugin that asks for per-field hooks (`willResolveField`) gets graphql-js: Apollo
 * instruments the schema's resolvers for them, and compiled functions hold the originals.
 */
export function createCompiledExecutor(
  schema: GraphQLSchema,
  options: CompiledExecutionOptions,
  counters: ExecutionCounters = { compiledExecutions: 0, graphqlJsExecutions: 0, compilations: 0 },
): GatewayExecutor {
  const byDocument = new WeakMap<DocumentNode, Map<string, Entry>>();
  return async ({ document, operation, operationName, request, context }) => {
    const variables = request.variables ?? {};
    const graphqlJs = () => {
      counters.graphqlJsExecutions++;
      return execute({
        schema,
        document,
        operationName,
        variableValues: variables,
        contextValue: context,
      }) as Promise<ExecutionResult> | ExecutionResult;
    };
    // typed as always there, but Apollo executes a document whose operation it could not pick, for graphql-js's error
    const resolved = operation as OperationDefinitionNode | undefined;
    if (resolved === undefined || Object.getOwnPropertySymbols(context).length > 0) return graphqlJs();
    let operations = byDocument.get(document);
    if (operations === undefined) byDocument.set(document, (operations = new Map<string, Entry>()));
    const key = operationName ?? '';
    let entry = operations.get(key);
    if (entry === undefined) operations.set(key, (entry = { executions: 0, compiled: undefined }));
    if (entry.compiled === undefined) {
      if (entry.executions++ < options.compileAfter) return graphqlJs();
      const compiled = compileQuery(schema, document, operationName ?? undefined, { disableLeafSerialization: false });
      if (!isCompiledQuery(compiled)) return graphqlJs();
      entry.compiled = compiled;
      counters.compilations++;
    }
    const coerced = coerceVariables(schema, resolved, variables);
    if (coerced !== undefined) return coerced;
    counters.compiledExecutions++;
    return asGraphqlJsErrors(await entry.compiled.query(undefined, context, variables));
  };
}

/**
 * graphql-jit's errors are frozen lookalikes of graphql-js's; plugins and formatError get
 * graphql-js's own, built as its executor builds them (locatedError: the thrown error as
 * originalError, its extensions), with the locations graphql-jit computed.
 */
function asGraphqlJsErrors(result: ExecutionResult): ExecutionResult {
  if (result.errors === undefined) return result;
  const errors = result.errors.map((e) => {
    const error = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined });
    if (e.locations !== undefined) Object.defineProperty(error, 'locations', { value: e.locations, enumerable: true });
    return error;
  });
  return { ...result, errors };
}

/** graphql-js's answer to variables that do not fit the operation; undefined when they fit. */
function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): ExecutionResult | undefined {
  const definitions = operation.variableDefinitions ?? [];
  if (definitions.length === 0) return undefined;
  const coerced = getVariableValues(schema, definitions, variables, { maxErrors: 50 });
  return coerced.errors === undefined ? undefined : { errors: coerced.errors };
}

/**
 * Apollo Server's executor hook (its `gateway` option) over our own schema: Apollo parses,
 * validates, caches documents and runs every plugin hook as it does without it; only the
 * execution step is this executor.
 */
export function compiledExecutionGateway(
  schema: GraphQLSchema,
  options: CompiledExecutionOptions,
  counters?: ExecutionCounters,
): GatewayInterface {
  const executor = createCompiledExecutor(schema, options, counters);
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async stop() {},
  };
}
