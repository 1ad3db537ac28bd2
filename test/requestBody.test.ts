import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

describe('a request body over 1 MB', () => {
  it('is refused with 413 and a closed connection, and the next request on a new one is served', async () => {
    const big = JSON.stringify({ query: '{ flows { totalCount } }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } });
    const res = await fetch(stack.api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({
      errors: [
        { message: 'Request body over 1 MB', extensions: { code: 'BAD_REQUEST', requestId: expect.any(String) } },
      ],
    });
    await stack.clearRequests();
    const next = await stack.gql('{ flows { totalCount } }');
    expect(next.errors).toBeUndefined();
    expect(next.data.flows.totalCount).toBe(0);
  });
});
