import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { platform, seedFlows, type Platform, type SeededOrg } from '../platform.ts';
import { find, parsePrometheusText, valueOf, type Sample } from '../prometheusText.ts';

const ORG = 'METRICS00000000000000000@AdobeOrg';
const FLOWS = '/data/foundation/flowservice/flows';

const DASHBOARD = `query Dashboard {
  flows(first: 10) {
    nodes {
      id
      flowSpec { name }
      sourceConnections { baseConnection { name connectionSpec { name } } }
      targetConnections { dataset { name schema { title } } }
      lastRun { status }
    }
  }
}`;

async function scrape(url: string): Promise<{ status: number; text: string; samples: Sample[] }> {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, text, samples: res.status === 200 ? parsePrometheusText(text) : [] };
}

describe('/metrics', () => {
  let stack: Stack;
  let org: Platform;
  let seeded: SeededOrg;
  beforeAll(async () => {
    stack = await startStack({ env: { METRICS_MAX_OPERATION_NAMES: '3' } });
    org = await platform(stack.emulator.url, ORG);
    seeded = await seedFlows(org, { flows: 3, schemas: 1, baseConnections: 1, prefix: 'Metrics' });
  }, 60_000);
  afterAll(() => stack.stop());

  it('counts a dashboard query: its duration by name and outcome, each upstream route without ids, batch sizes, the spec cache', async () => {
    const res = await stack.gql(DASHBOARD, undefined, org.headers);
    expect(res.errors).toBeUndefined();
    expect(res.data.flows.nodes).toHaveLength(3);
    const { status, text, samples } = await scrape(stack.api.metricsUrl!);
    expect(status).toBe(200);

    expect(
      valueOf(samples, 'graphql_operation_duration_seconds_count', { operation: 'Dashboard', outcome: 'success' }),
    ).toBe(1);
    const flowList = { service: 'flowService', method: 'GET', route: FLOWS, status: '200' };
    expect(valueOf(samples, 'upstream_requests_total', flowList)).toBe(1);
    expect(valueOf(samples, 'upstream_request_duration_seconds_count', flowList)).toBe(1);
    // the three source connections in one multi-get (an id filter on the list); the dataset's multi-get ids out of the route
    expect(
      valueOf(samples, 'upstream_requests_total', { route: '/data/foundation/flowservice/sourceConnections' }),
    ).toBe(1);
    expect(
      valueOf(samples, 'upstream_requests_total', {
        service: 'catalog',
        method: 'GET',
        route: '/data/foundation/catalog/dataSets/{id}',
        status: '200',
      }),
    ).toBe(1);
    for (const s of find(samples, 'upstream_requests_total'))
      expect(s.labels['route']).toMatch(/^(\/([a-zA-Z0-9]+|\{id\}))+$/);
    for (const id of seeded.allIds()) expect(text).not.toContain(id);

    expect(valueOf(samples, 'dataloader_batch_size_count', { loader: 'sourceConnectionById' })).toBe(1);
    expect(valueOf(samples, 'dataloader_batch_size_sum', { loader: 'sourceConnectionById' })).toBe(3);
    expect(valueOf(samples, 'spec_cache_lookups_total', { kind: 'flowSpecs', result: 'miss' })).toBeGreaterThan(0);
    expect(valueOf(samples, 'admission_queue_length')).toBe(0);
    expect(valueOf(samples, 'admission_operations_in_flight')).toBe(0);
    expect(valueOf(samples, 'admission_admitted_total')).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'admission_wait_seconds_count')).toBe(valueOf(samples, 'admission_admitted_total'));
    // the default process metrics
    expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(find(samples, 'nodejs_eventloop_lag_seconds')).toHaveLength(1);
  });

  it('counts spec-cache hits once the specs are cached', async () => {
    const before = (await scrape(stack.api.metricsUrl!)).samples;
    const hits = (s: Sample[]) =>
      find(s, 'spec_cache_lookups_total', { kind: 'flowSpecs', result: 'hit' })[0]?.value ?? 0;
    expect((await stack.gql(DASHBOARD, undefined, org.headers)).errors).toBeUndefined();
    const after = (await scrape(stack.api.metricsUrl!)).samples;
    expect(hits(after) - hits(before)).toBe(1);
  });

  it('counts a retried upstream request per attempt, with its status, and the retry', async () => {
    await stack.control('POST', '/__emulator/faults', { method: 'GET', path: `^${FLOWS}$`, status: 503, times: 1 });
    expect(
      (await stack.gql('query Retried { flows(first: 1) { nodes { id } } }', undefined, org.headers)).errors,
    ).toBeUndefined();
    const { samples } = await scrape(stack.api.metricsUrl!);
    const labels = { service: 'flowService', method: 'GET', route: FLOWS };
    expect(valueOf(samples, 'upstream_requests_total', { ...labels, status: '503' })).toBe(1);
    expect(valueOf(samples, 'upstream_retries_total', labels)).toBe(1);
  });

  it('labels unnamed operations anonymous, failed ones by outcome, and names past the cap as other', async () => {
    // Dashboard and Retried hold two of the three names
    await stack.gql('{ flows(first: 1) { nodes { id } } }', undefined, org.headers);
    await stack.gql('query Third { flows(first: 1) { nodes { id } } }', undefined, org.headers);
    await stack.gql('query Fourth { flows(first: 1) { nodes { id } } }', undefined, org.headers);
    await stack.gql('query Fifth { flows(first: 1) { nodes { id } } }', undefined, org.headers);
    await stack.gql('query Broken { flows(first: 1) { nodes { noSuchField } } }', undefined, org.headers);
    const { samples } = await scrape(stack.api.metricsUrl!);
    const count = (operation: string, outcome = 'success') =>
      find(samples, 'graphql_operation_duration_seconds_count', { operation, outcome })[0]?.value ?? 0;
    expect(count('anonymous')).toBe(1);
    expect(count('Third')).toBe(1);
    expect(count('other')).toBe(2);
    expect(count('Fourth') + count('Fifth')).toBe(0);
    // a document that fails validation never resolves an operation
    expect(count('unresolved', 'error')).toBe(1);
    const names = new Set(find(samples, 'graphql_operation_duration_seconds_count').map((s) => s.labels['operation']));
    expect([...names].sort()).toEqual(['Dashboard', 'Retried', 'Third', 'anonymous', 'other', 'unresolved']);
  });

  it('counts the upstream answers whose parsed form was reused: every read of an unchanged dashboard again, and a changed answer parsed anew', async () => {
    const reused = async () => {
      const { samples } = await scrape(stack.api.metricsUrl!);
      return {
        hit: valueOf(samples, 'upstream_parsed_answers_total', { result: 'hit' }),
        miss: valueOf(samples, 'upstream_parsed_answers_total', { result: 'miss' }),
        kept: valueOf(samples, 'upstream_parsed_answers_kept_bytes'),
      };
    };
    const first = await stack.gql(DASHBOARD, undefined, org.headers);
    const before = await reused();
    await stack.clearRequests();
    const again = await stack.gql(DASHBOARD, undefined, org.headers);
    expect(again.text).toBe(first.text);
    const reads = (await stack.requests()).filter((r) => r.method === 'GET').length;
    expect(reads).toBeGreaterThan(3);
    const after = await reused();
    expect(after.hit - before.hit).toBe(reads);
    expect(after.miss).toBe(before.miss);
    expect(after.kept).toBeGreaterThan(0);

    // a renamed flow changes the flow list's bytes: parsed again, and the answer shows the new name
    const path = `/data/foundation/flowservice/flows/${seeded.flows[0]!.id}`;
    const { etag } = (await org.call<{ items: Array<{ etag: string }> }>('GET', path)).items[0]!;
    await org.call('PATCH', path, [{ op: 'replace', path: '/name', value: 'Metrics renamed' }], { 'if-match': etag });
    const changed = await stack.gql('query Named { flows(first: 10) { nodes { name } } }', undefined, org.headers);
    expect(changed.data.flows.nodes.map((n: { name: string }) => n.name)).toContain('Metrics renamed');
    expect((await reused()).miss).toBeGreaterThan(after.miss);
  });

  it('keeps the metrics of each server in its own registry', async () => {
    const other = await startStack({ env: { METRICS_PORT: '0' } });
    try {
      const { samples } = await scrape(other.api.metricsUrl!);
      expect(find(samples, 'graphql_operation_duration_seconds_count')).toEqual([]);
      expect(find(samples, 'upstream_requests_total')).toEqual([]);
    } finally {
      await other.stop();
    }
  });
});

describe('/metrics configuration', () => {
  it('serves the metrics on METRICS_PORT only, apart from the API', async () => {
    const stack = await startStack({ env: { METRICS_PORT: '0' } });
    try {
      expect(new URL(stack.api.metricsUrl!).port).not.toBe(new URL(stack.api.url).port);
      expect((await scrape(stack.api.metricsUrl!)).status).toBe(200);
      expect((await fetch(stack.api.url.replace('/graphql', '/metrics'))).status).toBe(404);
    } finally {
      await stack.stop();
    }
  });

  it('has no /metrics with METRICS_ENABLED=false', async () => {
    const stack = await startStack({ env: { METRICS_ENABLED: 'false' } });
    try {
      expect(stack.api.metricsUrl).toBeUndefined();
      expect((await fetch(stack.api.url.replace('/graphql', '/metrics'))).status).toBe(404);
    } finally {
      await stack.stop();
    }
  });
});
