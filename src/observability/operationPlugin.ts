import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { collectSecrets } from '../upstream/upstreamError.ts';
import type { Operation } from './operation.ts';

/** What the plugin reads of the context: who calls, where, with which token, and the request's record. */
interface ObservedContext extends BaseContext {
  credentials: { accessToken: string; apiKey: string; orgId: string; sandbox: string };
  operation: Operation | undefined;
}

/**
 * Fills the request's operation record (the context's) from Apollo's view of the request: the
 * tenant, the operation's name, type and document hash, and the secrets its log lines must not
 * show (the token it runs with, whether the caller's or the server's). It notes the errors of
 * the answer as the operation's before Apollo formats them, and that the pipeline answered.
 */
export function operationObservationPlugin<T extends ObservedContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart({ contextValue }) {
      const { operation } = contextValue;
      if (operation === undefined) return;
      const c = contextValue.credentials;
      operation.org = c.orgId;
      operation.sandbox = c.sandbox;
      operation.addSecrets(
        collectSecrets({ authorization: `Bearer ${c.accessToken}`, 'x-api-key': c.apiKey }, undefined),
      );
      return {
        async didResolveSource({ queryHash }) {
          operation.documentHash = queryHash;
        },
        async didResolveOperation({ operationName, operation: definition }) {
          const type = definition?.operation ?? 'query';
          operation.operationName = operationName;
          operation.operationType = type;
          operation.span?.updateName(`${type} ${operationName ?? '(anonymous)'}`);
          operation.span?.setAttributes({
            'graphql.operation.type': type,
            ...(operationName === null ? {} : { 'graphql.operation.name': operationName }),
          });
        },
        async didEncounterErrors({ errors }) {
          operation.owns(errors);
        },
        async willSendResponse() {
          operation.answeredByPipeline = true;
        },
      };
    },
  };
}
