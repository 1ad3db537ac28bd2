import type { DataSetDto } from '../../../upstream/catalog/types.ts';
import { platformDataSetFields } from '../../catalog/dataSets.ts';
import { DAY_MS, DEMO_CLIENT, DEMO_USER, type DemoContext } from './context.ts';
import type { DemoSchemas, DemoShape } from './xdm.ts';
import { SCHEMA_REF_CONTENT_TYPE } from '../../../upstream/schemaRegistry/wire.ts';
import { catalogRef } from '../../../upstream/catalog/wire.ts';

export const DEMO_DATASETS = {
  customers: [
    'CRM Customer Profiles',
    'profile',
    'Golden customer records from Salesforce, Service Cloud and the orders database.',
  ],
  loyalty: ['Loyalty Members', 'profile', 'Loyalty programme members and their points.'],
  subscribers: ['Email Subscribers', 'profile', 'Newsletter and campaign subscribers.'],
  contacts: ['B2B Contacts', 'b2b', 'Business contacts and leads.'],
  webEvents: ['Web Events', 'event', 'Clickstream from the web SDK and campaign responses.'],
  appEvents: ['Mobile App Events', 'event', 'Events from the iOS and Android apps.'],
  orders: ['Commerce Orders', 'event', 'Orders, invoices and returns from every channel.'],
  storeVisits: ['Store Visits', 'event', 'Check-ins and visits in physical stores.'],
  partnerFeed: ['Partner Feed (ad hoc)', 'adhoc', 'Raw partner catalogue and review files.'],
  reviews: ['Product Reviews', 'adhoc', 'Reviews and survey answers.'],
} as const satisfies Record<string, readonly [string, DemoShape, string]>;

export type DemoDataSetKey = keyof typeof DEMO_DATASETS;

export interface DemoDataSet {
  id: string;
  shape: DemoShape;
  schemaId: string;
}

/** About ten Catalog datasets on the demo schemas, in the form `POST /dataSets` stores. */
export function seedDataSets(ctx: DemoContext, schemas: DemoSchemas): Record<DemoDataSetKey, DemoDataSet> {
  const out = {} as Record<DemoDataSetKey, DemoDataSet>;
  let i = 0;
  for (const [key, [name, shape, description]] of Object.entries(DEMO_DATASETS) as Array<
    [DemoDataSetKey, readonly [string, DemoShape, string]]
  >) {
    const id = ctx.rnd.hex(24);
    const viewId = ctx.rnd.hex(24);
    const created = ctx.now - (50 - i++) * DAY_MS;
    const profileEnabled = shape === 'profile' || shape === 'event';
    const platform = platformDataSetFields(ctx.part, name, schemas.ids[shape]);
    const dataSet: DataSetDto = {
      classification: platform.classification,
      name,
      description,
      imsOrg: ctx.part.org,
      sandboxId: ctx.part.sandboxId,
      version: '1.0.0',
      created,
      updated: created,
      createdClient: DEMO_CLIENT,
      createdUser: DEMO_USER,
      updatedUser: DEMO_USER,
      schemaRef: { id: schemas.ids[shape], contentType: SCHEMA_REF_CONTENT_TYPE },
      tags: {
        ...(profileEnabled ? { unifiedProfile: ['enabled:true'], unifiedIdentity: ['enabled:true'] } : {}),
        'adobe/pqs/table': platform.tableTag,
      },
      viewId,
      files: `${catalogRef('dataSets', id)}/views/${viewId}/files`,
      fileDescription: { format: 'parquet' },
    };
    ctx.part.dataSets.set(id, dataSet);
    out[key] = { id, shape, schemaId: schemas.ids[shape] };
  }
  return out;
}
