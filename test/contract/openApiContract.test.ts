import { describe, expect, it } from 'vitest';
import { openApiContract } from './openApiContract.ts';

const contract = openApiContract();
const CAT = '/data/foundation/catalog';

function operation(method: string, path: string) {
  const matched = contract.match(method, path);
  if (matched === undefined) throw new Error(`no operation for ${method} ${path}`);
  return matched;
}

describe('the OpenAPI contract', () => {
  it('reads the 124 operations of the six files and compiles every response and request schema', () => {
    expect(contract.operations).toHaveLength(124);
    for (const op of contract.operations) {
      for (const [status, media] of Object.entries(op.responses))
        for (const [type, pointer] of Object.entries(media))
          if (pointer !== undefined)
            expect(() => contract.validateResponse(op, Number(status) || 200, type, '{}')).not.toThrow();
      const params: Record<string, string> = {};
      const query = new URLSearchParams();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      for (const p of op.parameters) {
        if (p.in === 'path') params[p.name] = '1';
        else if (p.in === 'query') query.set(p.name, '1');
        else headers[p.name.toLowerCase()] = '1';
      }
      expect(() => contract.validateRequest(op, { params, query, headers, body: Buffer.from('{}') })).not.toThrow();
    }
  });

  it('matches literal path segments before templated ones, under each service base path', () => {
    expect(operation('POST', '/data/foundation/flowservice/flows/search').operation.id).toBe('getFlowsByFilters');
    expect(operation('GET', '/data/foundation/flowservice/flows/abc').params).toEqual({ FLOW_ID: 'abc' });
    expect(operation('POST', '/collection/batch/abc').operation.spec).toBe('streaming-ingestion');
    expect(contract.match('GET', '/ims/token/v3')).toBeUndefined();
  });

  it('refuses a batch whose error rows are a number, and takes them as strings', () => {
    const { operation: op } = operation('GET', `${CAT}/batches/01ABC`);
    const batch = (rows: unknown) =>
      JSON.stringify({ '01ABC': { status: 'failed', errors: [{ code: 'X', rows, description: 'bad' }] } });
    expect(contract.validateResponse(op, 200, 'application/json', batch(3))).toEqual({
      kind: 'invalid',
      problems: [expect.objectContaining({ at: 'body/01ABC/errors/0/rows', keyword: 'type' })],
    });
    expect(contract.validateResponse(op, 200, 'application/json', batch(['1-3']))).toEqual({ kind: 'valid' });
  });

  it('tells an undeclared status and a status declared without a schema apart', () => {
    const { operation: flow } = operation('GET', '/data/foundation/flowservice/flows/abc');
    expect(contract.validateResponse(flow, 418, 'application/json', '{}')).toEqual({ kind: 'undeclared' });
    const { operation: batch } = operation('GET', `${CAT}/batches/01ABC`);
    expect(contract.validateResponse(batch, 400, 'application/json', '{}')).toEqual({ kind: 'unchecked' });
  });

  it('refuses a request with an undeclared query parameter, a bad type or a missing required header', () => {
    const { operation: op, params } = operation('GET', `${CAT}/lastBatches`);
    const headers = {
      authorization: 'Bearer x',
      'x-api-key': 'k',
      'x-gw-ims-org-id': 'o',
      'x-sandbox-name': 'prod',
    };
    const ok = contract.validateRequest(op, {
      params,
      query: new URLSearchParams({ dataSetId: 'a,b', limit: '5' }),
      headers,
      body: Buffer.alloc(0),
    });
    expect(ok).toEqual({ kind: 'valid' });
    const bad = contract.validateRequest(op, {
      params,
      query: new URLSearchParams({ dataSetId: 'a', limit: 'many', colour: 'blue' }),
      headers: { ...headers, 'x-api-key': undefined },
      body: Buffer.alloc(0),
    });
    expect(bad.kind).toBe('invalid');
    expect(bad.kind === 'invalid' && bad.problems.map((p) => `${p.at} ${p.keyword}`).sort()).toEqual([
      'header.x-api-key required',
      'query.colour undeclared',
      'query.limit type',
    ]);
  });
});
