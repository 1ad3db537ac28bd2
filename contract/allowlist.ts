/**
 * Where the official OpenAPI files contradict themselves (their own examples, the docs, or
 * what Adobe's own clients send), the emulator follows the evidence and the contract test
 * lets exactly that problem through. Each entry names one operation, one place in the body
 * or request, and the evidence. Keep it short: anything else that fails validation fails the run.
 */
export interface AllowlistEntry {
  /** The operationId in contract/openapi/. */
  operation: string;
  direction: 'response' | 'request';
  /** Only for this status; any status when absent. */
  status?: number;
  /** Where the problem is: `body/...` (a JSON pointer into the body), `query.name`, `header.name`. */
  at: RegExp;
  /** The failing JSON Schema keyword (`type`, `enum`, `required`, `additionalProperties`, ...). */
  keyword?: string;
  /** What the spec says, and what the emulator does instead. */
  reason: string;
  /** Where the evidence is: the spec's own example, a docs page, Adobe's client code. */
  evidence: string[];
}

export const ALLOWLIST: AllowlistEntry[] = [];
