import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import type { OperationLimits } from './config.ts';
import { ErrorCode, limitExceeded, type LimitCode } from './errors.ts';

/** graphql-armor's messages start like the parser's; ours say which limit. */
const reject =
  (code: LimitCode) =>
  (context: ValidationContext | null, error: GraphQLError): void => {
    context?.reportError(limitExceeded(code, error.message.replace(/^Syntax Error: /, '')));
  };

/**
 * Validation rules for the limits that depend on the document alone: depth (fragments
 * flattened, introspection not counted), aliases and directives. Each counts a fragment
 * once however often it is spread (graphql-armor memoises them), so the check is linear
 * in the document. A violation is reported with its own code (QUERY_TOO_DEEP,
 * TOO_MANY_ALIASES, TOO_MANY_DIRECTIVES) and the request fails before it executes. Tokens
 * are bounded by the parser (`maxTokens`) and the cost before execution (admission.ts).
 */
export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  const common = { exposeLimits: true, propagateOnRejection: false } as const;
  return [
    maxDepthRule({
      ...common,
      n: limits.maxDepth,
      flattenFragments: true,
      ignoreIntrospection: true,
      onReject: [reject(ErrorCode.QUERY_TOO_DEEP)],
    }),
    maxAliasesRule({ ...common, n: limits.maxAliases, onReject: [reject(ErrorCode.TOO_MANY_ALIASES)] }),
    maxDirectivesRule({ ...common, n: limits.maxDirectives, onReject: [reject(ErrorCode.TOO_MANY_DIRECTIVES)] }),
  ] as ValidationRule[];
}
