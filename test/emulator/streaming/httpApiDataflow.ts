import type { XdmResourceDto } from '../../../src/upstream/schemaRegistry/types.ts';
import type { Call } from '../emulatorHarness.ts';
import { createDataSet, createEventSchema, createProfileSchema } from '../schemaFixtures.ts';

export const HTTP_API_SPEC = 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb';
export const DATA_LAKE_SPEC = 'c604ff05-7f1a-43c0-8e18-33bf874cb11c';
export const STREAM_WITHOUT_TRANSFORMATION = 'd8a6f005-7eaf-4153-983e-e8574508b877';
export const STREAM_WITH_TRANSFORMATION = 'c1a19761-d2c7-4702-b9fa-fe91f0613e81';
const FLOW = '/data/foundation/flowservice';
const FULL = 'application/vnd.adobe.xed-full+json;version=1';

export interface HttpApiDataflow {
  schema: XdmResourceDto;
  dataSetId: string;
  connectionId: string;
  inletId: string;
  /** The inlet URL as the base connection reports it. */
  inletUrl: string;
  /** The path part of `inletUrl`, e.g. `/collection/{inletId}`. */
  inletPath: string;
  flowId: string;
}

async function expectCreated(res: { status: number; body: any }, what: string): Promise<string> {
  if (res.status !== 201) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/**
 * The HTTP API streaming tutorial (CONTRACT §6.1 steps 1-6) through the Flow Service:
 * base connection, its inlet, source connection, dataset + target connection, flow.
 * `mapping` creates a mapping set and uses the "with transformation" flow spec (raw data).
 */
export async function createHttpApiDataflow(
  call: Call,
  options: {
    dataType?: 'xdm' | 'raw';
    authenticationRequired?: boolean;
    mapping?: Array<{ source: string; destination: string }>;
    /** An ExperienceEvent schema instead of the profile one. */
    events?: boolean;
  } = {},
): Promise<HttpApiDataflow> {
  const schema = options.events === true ? await createEventSchema(call) : await createProfileSchema(call);
  const connectionId = await expectCreated(
    await call('POST', `${FLOW}/connections`, {
      body: {
        name: 'Loyalty stream',
        connectionSpec: { id: HTTP_API_SPEC, version: '1.0' },
        auth: {
          specName: 'Streaming Connection',
          params: {
            dataType: options.dataType ?? 'xdm',
            name: 'Loyalty stream',
            ...(options.authenticationRequired ? { authenticationRequired: true } : {}),
          },
        },
      },
    }),
    'base connection',
  );
  const conn = await call('GET', `${FLOW}/connections/${connectionId}`);
  const { inletId, inletUrl } = conn.body.items[0].auth.params as { inletId: string; inletUrl: string };
  const sourceId = await expectCreated(
    await call('POST', `${FLOW}/sourceConnections`, {
      body: {
        name: 'Loyalty source',
        baseConnectionId: connectionId,
        connectionSpec: { id: HTTP_API_SPEC, version: '1.0' },
      },
    }),
    'source connection',
  );
  const dataSetId = await createDataSet(call, schema.$id);
  const targetId = await expectCreated(
    await call('POST', `${FLOW}/targetConnections`, {
      body: {
        name: 'Loyalty target',
        connectionSpec: { id: DATA_LAKE_SPEC, version: '1.0' },
        data: { format: 'parquet_xdm', schema: { id: schema.$id, version: FULL } },
        params: { dataSetId },
      },
    }),
    'target connection',
  );
  let transformations: unknown[] | undefined;
  if (options.mapping !== undefined) {
    const set = await call('POST', '/data/foundation/conversion/mappingSets', {
      body: {
        outputSchema: { schemaRef: { id: schema.$id, contentType: FULL } },
        mappings: options.mapping.map((m) => ({ sourceType: 'ATTRIBUTE', ...m })),
      },
    });
    if (set.status !== 200) throw new Error(`mapping set failed: ${set.status} ${JSON.stringify(set.body)}`);
    transformations = [{ name: 'Mapping', params: { mappingId: set.body.id, mappingVersion: 0 } }];
  }
  const flowId = await expectCreated(
    await call('POST', `${FLOW}/flows`, {
      body: {
        name: 'Loyalty dataflow',
        flowSpec: {
          id: transformations === undefined ? STREAM_WITHOUT_TRANSFORMATION : STREAM_WITH_TRANSFORMATION,
          version: '1.0',
        },
        sourceConnectionIds: [sourceId],
        targetConnectionIds: [targetId],
        ...(transformations === undefined ? {} : { transformations }),
      },
    }),
    'flow',
  );
  return { schema, dataSetId, connectionId, inletId, inletUrl, inletPath: new URL(inletUrl).pathname, flowId };
}

/** An XDM streaming message for the dataflow's dataset, per the DCS spec example. */
export function xdmMessage(
  flow: HttpApiDataflow,
  entity: Record<string, unknown>,
  header: Record<string, unknown> = {},
) {
  const schemaRef = { id: flow.schema.$id, contentType: FULL };
  return {
    header: {
      schemaRef,
      imsOrgId: '5C1328435BF324E90A49402A@AdobeOrg',
      datasetId: flow.dataSetId,
      flowId: flow.flowId,
      source: { name: 'Loyalty stream' },
      ...header,
    },
    body: { xdmMeta: { schemaRef }, xdmEntity: entity },
  };
}

export const jane = {
  _id: 'jane-1',
  person: { name: { firstName: 'Jane', lastName: 'Doe' }, birthDate: '1969-03-14', gender: 'female' },
  personalEmail: { address: 'janedoe@example.com', primary: true, status: 'active' },
};
