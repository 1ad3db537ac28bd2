import type { XdmFieldDto, XdmResourceDto } from '../../../upstream/schemaRegistry/types.ts';
import { tenantResourceIds } from '../../../upstream/schemaRegistry/wire.ts';
import {
  XDM_ADHOC_BEHAVIOR,
  XDM_EXPERIENCE_EVENT_CLASS,
  XDM_PROFILE_CLASS,
  XDM_RECORD_BEHAVIOR,
  XDM_TIME_SERIES_BEHAVIOR,
} from '../xdmGlobals.ts';
import { DAY_MS, DEMO_CLIENT, DEMO_USER, type DemoContext } from './context.ts';

const PERSON_DETAILS = 'https://ns.adobe.com/xdm/context/profile-person-details';
const PERSONAL_DETAILS = 'https://ns.adobe.com/xdm/context/profile-personal-details';
const WORK_DETAILS = 'https://ns.adobe.com/xdm/context/profile-work-details';
const IDENTITY_MAP = 'https://ns.adobe.com/xdm/context/identitymap';
const EE_WEB = 'https://ns.adobe.com/xdm/context/experienceevent-web';
const EE_COMMERCE = 'https://ns.adobe.com/xdm/context/experienceevent-commerce';

/** The shapes of data the demo ingests; each has one tenant schema. */
export type DemoShape = 'profile' | 'b2b' | 'event' | 'adhoc';

export interface DemoSchemas {
  /** Schema `$id` per shape. */
  ids: Record<DemoShape, string>;
  /** Tenant namespace (`_acme…`) and the ad-hoc class namespace (`_<guid>`). */
  tenantNamespace: string;
  adhocNamespace: string;
}

const field = (type: string, title: string, extra: XdmFieldDto = {}): XdmFieldDto => ({
  type,
  title,
  'meta:xdmType': type,
  ...extra,
});

function resource(
  ctx: DemoContext,
  kind: 'schemas' | 'classes' | 'mixins',
  title: string,
  description: string,
  createdAt: number,
): XdmResourceDto {
  const { tenantId, sandboxId, org } = ctx.part;
  const { $id, altId } = tenantResourceIds(tenantId, kind, ctx.rnd.hex(32));
  return {
    $id,
    'meta:altId': altId,
    'meta:resourceType': kind,
    version: '1.0',
    title,
    description,
    type: 'object',
    'meta:containerId': 'tenant',
    'meta:sandboxId': sandboxId,
    'meta:sandboxType': 'production',
    'meta:tenantNamespace': `_${tenantId}`,
    'meta:xdmType': 'object',
    imsOrg: org,
    'meta:registryMetadata': {
      'repo:createdDate': createdAt,
      'repo:lastModifiedDate': createdAt,
      'xdm:createdClientId': DEMO_CLIENT,
      'xdm:lastModifiedClientId': DEMO_CLIENT,
      'xdm:createdUserId': DEMO_USER,
      'xdm:lastModifiedUserId': DEMO_USER,
      eTag: ctx.rnd.hex(64),
      'meta:globalLibVersion': '1.49.1',
    },
  };
}

/** A schema of one class plus field groups, in the raw form the Schema Registry stores (§4.3). */
function schema(
  ctx: DemoContext,
  title: string,
  description: string,
  cls: string,
  behavior: string,
  groups: string[],
  createdAt: number,
  extra: Partial<XdmResourceDto> = {},
): XdmResourceDto {
  return {
    ...resource(ctx, 'schemas', title, description, createdAt),
    allOf: [cls, ...groups].map(($ref) => ({ $ref })),
    'meta:class': cls,
    'meta:abstract': false,
    'meta:extensible': false,
    'meta:extends': [cls, behavior, ...groups],
    ...extra,
  };
}

/** Tenant schemas, the tenant field group and the ad-hoc class, written straight into the partition. */
export function seedXdm(ctx: DemoContext): DemoSchemas {
  const { part } = ctx;
  const tenantNamespace = `_${part.tenantId}`;
  const t0 = ctx.now - 60 * DAY_MS;

  const loyalty: XdmResourceDto = {
    ...resource(ctx, 'mixins', 'ACME Loyalty', 'Loyalty programme membership and the CRM key of an ACME customer.', t0),
    'meta:abstract': true,
    'meta:extensible': true,
    'meta:intendedToExtend': [XDM_PROFILE_CLASS],
    definitions: {
      customFields: {
        properties: {
          [tenantNamespace]: field('object', 'ACME', {
            properties: {
              crmId: field('string', 'CRM id'),
              loyalty: field('object', 'Loyalty', {
                properties: {
                  tier: field('string', 'Tier', { enum: ['bronze', 'silver', 'gold', 'platinum'] }),
                  points: field('integer', 'Points'),
                  memberSince: field('string', 'Member since', { format: 'date', 'meta:xdmType': 'date' }),
                },
              }),
            },
          }),
        },
      },
    },
    allOf: [{ $ref: '#/definitions/customFields', type: 'object' }],
  };
  part.fieldGroups.set(loyalty.$id, loyalty);

  const adhocClass = resource(
    ctx,
    'classes',
    'ACME partner feed (ad hoc)',
    'Ad-hoc class for flat partner files.',
    t0 + DAY_MS,
  );
  const adhocNamespace = `_${adhocClass.$id.slice(adhocClass.$id.lastIndexOf('/') + 1)}`;
  const adhocFields = {
    partnerId: field('string', 'partnerId'),
    sku: field('string', 'sku'),
    rating: field('integer', 'rating'),
    comment: field('string', 'comment'),
    updatedAt: field('string', 'updatedAt'),
  };
  Object.assign(adhocClass, {
    allOf: [
      { $ref: XDM_ADHOC_BEHAVIOR, type: 'object' },
      {
        properties: { [adhocNamespace]: field('object', adhocNamespace, { properties: adhocFields }) },
        type: 'object',
      },
    ],
    'meta:abstract': true,
    'meta:extensible': true,
    'meta:extends': [XDM_ADHOC_BEHAVIOR],
    'meta:datasetNamespace': adhocNamespace,
  } satisfies Partial<XdmResourceDto>);
  part.classes.set(adhocClass.$id, adhocClass);

  const schemas = [
    schema(
      ctx,
      'ACME Customer Profile',
      'Customers from CRM, e-commerce and loyalty, keyed by CRM id and email.',
      XDM_PROFILE_CLASS,
      XDM_RECORD_BEHAVIOR,
      [PERSON_DETAILS, PERSONAL_DETAILS, IDENTITY_MAP, loyalty.$id],
      t0 + 2 * DAY_MS,
    ),
    schema(
      ctx,
      'ACME B2B Contact',
      'Business contacts and leads.',
      XDM_PROFILE_CLASS,
      XDM_RECORD_BEHAVIOR,
      [PERSON_DETAILS, WORK_DETAILS, IDENTITY_MAP],
      t0 + 3 * DAY_MS,
    ),
    schema(
      ctx,
      'ACME Experience Event',
      'Web, app, store and commerce events.',
      XDM_EXPERIENCE_EVENT_CLASS,
      XDM_TIME_SERIES_BEHAVIOR,
      [EE_WEB, EE_COMMERCE, IDENTITY_MAP],
      t0 + 4 * DAY_MS,
    ),
    schema(
      ctx,
      'ACME Partner Feed (ad hoc)',
      'Flat partner files ingested as they come.',
      adhocClass.$id,
      XDM_ADHOC_BEHAVIOR,
      [],
      t0 + 5 * DAY_MS,
      {
        'meta:extends': [adhocClass.$id, XDM_ADHOC_BEHAVIOR],
        'meta:datasetNamespace': adhocNamespace,
      },
    ),
  ] as const;
  for (const s of schemas) part.schemas.set(s.$id, s);
  return {
    ids: { profile: schemas[0].$id, b2b: schemas[1].$id, event: schemas[2].$id, adhoc: schemas[3].$id },
    tenantNamespace,
    adhocNamespace,
  };
}
