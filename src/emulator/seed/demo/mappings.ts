import type { MappingDto, MappingSetDto } from '../../../upstream/dataPrep/types.ts';
import { DEMO_CLIENT, type DemoContext } from './context.ts';
import type { DemoSchemas, DemoShape } from './xdm.ts';
import { adobeIdOf } from '../../../upstream/ims/wire.ts';
import { SCHEMA_REF_CONTENT_TYPE } from '../../../upstream/schemaRegistry/wire.ts';

type Pair = readonly [source: string, destination: string];

/** Source column → XDM path for each shape; every destination exists in that shape's schema. */
function template(shape: DemoShape, schemas: DemoSchemas): Pair[] {
  const t = schemas.tenantNamespace;
  const a = schemas.adhocNamespace;
  switch (shape) {
    case 'profile':
      return [
        ['customer_id', `${t}.crmId`],
        ['first_name', 'person.name.firstName'],
        ['last_name', 'person.name.lastName'],
        ['email', 'personalEmail.address'],
        ['phone', 'mobilePhone.number'],
        ['city', 'homeAddress.city'],
        ['postal_code', 'homeAddress.postalCode'],
        ['country', 'homeAddress.countryCode'],
        ['birth_date', 'person.birthDate'],
        ['loyalty_tier', `${t}.loyalty.tier`],
        ['loyalty_points', `${t}.loyalty.points`],
      ];
    case 'b2b':
      return [
        ['first_name', 'person.name.firstName'],
        ['last_name', 'person.name.lastName'],
        ['work_email', 'workEmail.address'],
        ['work_phone', 'workPhone.number'],
        ['company_city', 'workAddress.city'],
        ['company_country', 'workAddress.countryCode'],
      ];
    case 'event':
      return [
        ['event_id', '_id'],
        ['event_time', 'timestamp'],
        ['event_type', 'eventType'],
        ['page_name', 'web.webPageDetails.name'],
        ['page_url', 'web.webPageDetails.URL'],
        ['order_id', 'commerce.order.purchaseID'],
        ['order_total', 'commerce.order.priceTotal'],
        ['currency', 'commerce.order.currencyCode'],
      ];
    case 'adhoc':
      return [
        ['partner_id', `${a}.partnerId`],
        ['sku', `${a}.sku`],
        ['rating', `${a}.rating`],
        ['comment', `${a}.comment`],
        ['updated_at', `${a}.updatedAt`],
      ];
  }
}

/** `first_name` → `FirstName`, the column style of Salesforce-like sources. */
const pascal = (s: string): string => s.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());

export function sourceColumns(shape: DemoShape, schemas: DemoSchemas, pascalCase: boolean): string[] {
  return template(shape, schemas).map(([source]) => (pascalCase ? pascal(source) : source));
}

/**
 * A published mapping set (version 0) in the stored form of Data Prep (§5.2): both
 * vocabularies on every mapping, `outputSchema.schemaRef` and the legacy `xdmSchema`.
 */
export function demoMappingSet(
  ctx: DemoContext,
  schemas: DemoSchemas,
  shape: DemoShape,
  pascalCase: boolean,
  createdAt: number,
): MappingSetDto {
  const schemaId = schemas.ids[shape];
  const schemaRef = { id: schemaId, contentType: SCHEMA_REF_CONTENT_TYPE };
  const mapping = (source: string, destination: string, expression = false): MappingDto => ({
    id: ctx.rnd.hex(32),
    version: 0,
    createdDate: createdAt,
    modifiedDate: createdAt,
    createdBy: adobeIdOf(DEMO_CLIENT),
    modifiedBy: adobeIdOf(DEMO_CLIENT),
    sourceType: expression ? 'EXPRESSION' : 'ATTRIBUTE',
    source,
    destination,
    sourceAttribute: source,
    destinationXdmPath: destination,
    identity: false,
    primaryIdentity: false,
    namespaceCode: null,
    identityGroup: null,
    matchScore: 0,
    functionVersion: 1,
  });
  const mappings = template(shape, schemas).map(([source, destination]) =>
    mapping(pascalCase ? pascal(source) : source, destination),
  );
  if (shape === 'profile' || shape === 'b2b') {
    const [first, last] = pascalCase ? ['FirstName', 'LastName'] : ['first_name', 'last_name'];
    mappings.push(mapping(`concat(${first}, " ", ${last})`, 'person.name.fullName', true));
  }
  return {
    id: ctx.rnd.hex(32),
    version: 0,
    createdDate: createdAt,
    modifiedDate: createdAt,
    createdBy: adobeIdOf(DEMO_CLIENT),
    modifiedBy: adobeIdOf(DEMO_CLIENT),
    supportVersion: '1.1',
    outputSchema: { id: ctx.rnd.hex(32), version: 0, schemaRef },
    status: 'PUBLISHED',
    strictMapping: false,
    allowNullValues: false,
    xdmVersion: '1.0',
    schemaRef,
    xdmSchema: schemaId,
    mappings,
  };
}
