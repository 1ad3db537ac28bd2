import type { ConnectionDto } from '../../../upstream/flowService/types.ts';
import { HTTP_API_CONNECTION_SPEC_ID } from '../../../upstream/flowService/types.ts';
import { connectionSpecs } from '../connectionSpecs.ts';
import { DAY_MS, demoAudit, type DemoContext } from './context.ts';
import { inletUrlOf } from '../../../upstream/streaming/wire.ts';

/** name, connection spec id, auth spec name, auth params (secrets are stored as sent; reads mask them). */
const CONNECTIONS = {
  s3: [
    'ACME S3 data lake',
    'ecadc60c-7455-4d87-84dc-2a0e293d997b',
    'Access Key',
    {
      s3AccessKey: 'AKIAIOSFODNN7ACMEDEMO',
      s3SecretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYACMEDEMOKEY',
      bucketName: 'acme-exports',
    },
  ],
  blob: [
    'Marketing exports (Azure Blob)',
    '4c10e202-c428-4796-9208-5f1f5732b1cf',
    'ConnectionString',
    {
      connectionString:
        'DefaultEndpointsProtocol=https;AccountName=acmemarketing;AccountKey=ZGVtby1rZXk=;EndpointSuffix=core.windows.net',
      container: 'exports',
    },
  ],
  files: [
    'Finance share (Azure Files)',
    'be5ec48c-5b78-49d5-b8fa-7c89ec4569b8',
    'Basic Authentication',
    { host: '\\\\acmefinance.file.core.windows.net\\finance', userid: 'Azure\\acmefinance', password: 'demo-password' },
  ],
  sftp: [
    'Partner SFTP',
    'b7bf2577-4520-42c9-bae9-cad01560f7bc',
    'Basic Authentication for sftp',
    { host: 'sftp.partners.acme.example', port: 22, userName: 'acme-aep', password: 'demo-password' },
  ],
  salesforce: [
    'Salesforce Production',
    'cfc0fee1-7dc0-40ef-b73e-d8b134c436f5',
    'Basic Authentication',
    {
      username: 'integration@acme.example',
      password: 'demo-password',
      securityToken: 'dEm0T0k3n',
      environmentUrl: 'acme.my.salesforce.com',
      apiVersion: '58.0',
    },
  ],
  serviceCloud: [
    'Service Cloud (support)',
    'cb66ab34-8619-49cb-96d1-39b37ede86ea',
    'Basic Authentication',
    {
      username: 'support-sync@acme.example',
      password: 'demo-password',
      securityToken: 'sUpp0rtT0k3n',
      environmentUrl: 'acme-support.my.salesforce.com',
    },
  ],
  odata: [
    'Northwind OData',
    '8e6b41a8-d998-4545-ad7d-c6a9fff406c3',
    'Anonymous Authentication',
    { url: 'https://services.odata.org/V4/Northwind/Northwind.svc' },
  ],
  mysql: [
    'Orders DB (MySQL)',
    '26d738e0-8963-47ea-aadf-c60de735468a',
    'Basic Authentication',
    {
      server: 'orders-db.internal.acme.example',
      database: 'orders',
      username: 'aep_reader',
      password: 'demo-password',
      port: 3306,
    },
  ],
  bigquery: [
    'Analytics warehouse (BigQuery)',
    '3c9b37f8-13a6-43d8-bad3-b863b941fedd',
    'Basic Authentication',
    {
      project: 'acme-analytics',
      clientId: '1234567890-acme.apps.googleusercontent.com',
      clientSecret: 'demo-secret',
      refreshToken: '1//demo-refresh-token',
    },
  ],
  webSdk: [
    'Web SDK collector (XDM)',
    HTTP_API_CONNECTION_SPEC_ID,
    'Streaming Connection',
    { dataType: 'xdm', name: 'Web SDK collector' },
  ],
  mobileSdk: [
    'Mobile SDK collector (XDM)',
    HTTP_API_CONNECTION_SPEC_ID,
    'Streaming Connection',
    { dataType: 'xdm', name: 'Mobile SDK collector' },
  ],
  posEvents: [
    'Store systems (raw JSON)',
    HTTP_API_CONNECTION_SPEC_ID,
    'Streaming Connection',
    { dataType: 'raw', name: 'Store systems' },
  ],
} as const satisfies Record<string, readonly [string, string, string, Record<string, unknown>]>;

export type DemoConnectionKey = keyof typeof CONNECTIONS;

/**
 * Twelve base connections across file, table and streaming sources. Each one satisfies its
 * connection spec's auth schema (`FLOW-1415`); HTTP API connections get a registered inlet.
 */
export function seedConnections(ctx: DemoContext): Record<DemoConnectionKey, ConnectionDto> {
  const out = {} as Record<DemoConnectionKey, ConnectionDto>;
  let i = 0;
  for (const [key, [name, specId, specName, given]] of Object.entries(CONNECTIONS) as Array<
    [DemoConnectionKey, readonly [string, string, string, Record<string, unknown>]]
  >) {
    const spec = connectionSpecs.find((s) => s.id === specId);
    const authSpec = spec?.authSpec.find((a) => a.name === specName);
    if (spec === undefined || authSpec === undefined)
      throw new Error(`demo: connection spec ${specId} has no auth spec "${specName}"`);
    const params: Record<string, unknown> = { ...given };
    // Whatever the seeded auth schema requires beyond the hand-written values gets a placeholder.
    for (const required of (authSpec.spec['required'] as string[] | undefined) ?? [])
      params[required] ??= `demo-${required}`;
    const conn: ConnectionDto = {
      ...demoAudit(ctx, ctx.now - (45 - i++) * DAY_MS),
      name,
      description: `${spec.attributes.connectorName ?? spec.name} connection of the ACME demo.`,
      connectionSpec: { id: spec.id, version: '1.0' },
      state: 'enabled',
      auth: { specName, params },
      providerId: spec.providerId,
    };
    if (spec.id === HTTP_API_CONNECTION_SPEC_ID) {
      const inletId = ctx.rnd.hex(64);
      // Seeding happens before the server listens, so the origin may not be known yet.
      const origin = ctx.runtime.baseUrl === '' ? 'https://dcs.adobedc.net' : ctx.runtime.baseUrl;
      Object.assign(params, {
        sourceId: params['name'],
        authenticationRequired: false,
        inletId,
        inletUrl: inletUrlOf(origin, inletId),
      });
    }
    ctx.part.connections.set(conn.id, conn);
    ctx.runtime.store.indexInlet(ctx.part, conn);
    out[key] = conn;
  }
  return out;
}
