import type { XdmFieldDto, XdmResourceDto, XdmResourceType } from '../../upstream/schemaRegistry/types.ts';
import { altIdOf } from '../../upstream/schemaRegistry/wire.ts';

export const XDM_RECORD_BEHAVIOR = 'https://ns.adobe.com/xdm/data/record';
export const XDM_TIME_SERIES_BEHAVIOR = 'https://ns.adobe.com/xdm/data/time-series';
export const XDM_ADHOC_BEHAVIOR = 'https://ns.adobe.com/xdm/data/adhoc';
export const XDM_PROFILE_CLASS = 'https://ns.adobe.com/xdm/context/profile';
export const XDM_EXPERIENCE_EVENT_CLASS = 'https://ns.adobe.com/xdm/context/experienceevent';

type Fields = Record<string, XdmFieldDto>;

const string = (title: string, description: string, extra: XdmFieldDto = {}): XdmFieldDto => ({
  type: 'string',
  title,
  description,
  'meta:xdmType': 'string',
  ...extra,
});
const dateTime = (title: string, description: string): XdmFieldDto =>
  string(title, description, { format: 'date-time', 'meta:xdmType': 'date-time' });
const boolean = (title: string, description: string, extra: XdmFieldDto = {}): XdmFieldDto => ({
  type: 'boolean',
  title,
  description,
  'meta:xdmType': 'boolean',
  ...extra,
});
const number = (title: string, description: string): XdmFieldDto => ({
  type: 'number',
  title,
  description,
  'meta:xdmType': 'number',
});
const object = (title: string, description: string, properties: Fields): XdmFieldDto => ({
  type: 'object',
  title,
  description,
  'meta:xdmType': 'object',
  properties,
});

interface GlobalDef {
  $id: string;
  resourceType: XdmResourceType;
  title: string;
  description: string;
  /** Fields held under `definitions.<definition>` and referenced from `allOf`. */
  fields?: Fields;
  required?: string[];
  extends?: string[];
  intendedToExtend?: string[];
  behaviorType?: string;
}

function globalResource(def: GlobalDef): XdmResourceDto {
  const definition = def.$id.slice(def.$id.lastIndexOf('/') + 1);
  const base: XdmResourceDto = {
    $id: def.$id,
    'meta:altId': altIdOf(def.$id),
    'meta:resourceType': def.resourceType,
    version: '1.0',
    title: def.title,
    description: def.description,
    type: 'object',
    'meta:containerId': 'global',
    'meta:xdmType': 'object',
    'meta:abstract': true,
    'meta:extensible': def.resourceType !== 'behaviors',
  };
  if (def.behaviorType !== undefined) base['meta:behaviorType'] = def.behaviorType;
  if (def.extends !== undefined) base['meta:extends'] = def.extends;
  if (def.intendedToExtend !== undefined) base['meta:intendedToExtend'] = def.intendedToExtend;
  if (def.fields === undefined) return base;
  return {
    ...base,
    definitions: {
      [definition]: { properties: def.fields, ...(def.required === undefined ? {} : { required: def.required }) },
    },
    allOf: [...(def.extends ?? []).map(($ref) => ({ $ref })), { $ref: `#/definitions/${definition}` }],
  };
}

const emailAddress = (title: string, description: string): XdmFieldDto =>
  object(title, description, {
    address: string('Address', 'The technical address, e.g. name@domain.com.', { format: 'email' }),
    primary: boolean('Primary', 'Whether this is the primary email address.'),
    status: string('Status', 'Ability to use the address.', {
      enum: ['active', 'incomplete', 'pending_verification', 'blocked'],
    }),
    label: string('Label', 'Display name for the address.'),
  });

const phoneNumber = (title: string, description: string): XdmFieldDto =>
  object(title, description, {
    number: string('Number', 'The phone number.'),
    primary: boolean('Primary', 'Whether this is the primary phone number.'),
    status: string('Status', 'Ability to use the number.', {
      enum: ['active', 'incomplete', 'pending_verification', 'blocked'],
    }),
  });

const postalAddress = (title: string, description: string): XdmFieldDto =>
  object(title, description, {
    street1: string('Street 1', 'Primary street level information.'),
    city: string('City', 'The name of the city.'),
    postalCode: string('Postal code', 'The postal code of the location.'),
    stateProvince: string('State or province', 'The state or province portion of the address.'),
    country: string('Country', 'The name of the government-administered territory.'),
    countryCode: string('Country code', 'The two-character ISO 3166-1 alpha-2 code for the country.', {
      pattern: '^[A-Z]{2}$',
    }),
  });

const identityMap: XdmFieldDto = {
  type: 'object',
  title: 'Identity map',
  description: 'Identities of the subject, keyed by identity namespace.',
  'meta:xdmType': 'map',
  additionalProperties: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        id: string('Identifier', 'Identity of the consumer in the related namespace.'),
        authenticatedState: string('Authenticated state', 'The state this identity is authenticated as.', {
          enum: ['ambiguous', 'authenticated', 'loggedOut'],
          default: 'ambiguous',
        }),
        primary: boolean('Primary', 'Whether this identity is the primary identity.', { default: false }),
      },
    },
  },
};

const definitions: GlobalDef[] = [
  {
    $id: XDM_RECORD_BEHAVIOR,
    resourceType: 'behaviors',
    behaviorType: 'record',
    title: 'Record Schema',
    description: 'Attributes of a subject, updated in place.',
  },
  {
    $id: XDM_TIME_SERIES_BEHAVIOR,
    resourceType: 'behaviors',
    behaviorType: 'time-series',
    title: 'Time-series Schema',
    description: 'A snapshot of the system at the time an action was taken.',
  },
  {
    $id: XDM_ADHOC_BEHAVIOR,
    resourceType: 'behaviors',
    behaviorType: 'adhoc',
    title: 'Ad Hoc Schema',
    description: 'Fields namespaced for a single dataset.',
  },
  {
    $id: XDM_PROFILE_CLASS,
    resourceType: 'classes',
    title: 'XDM Individual Profile',
    description:
      'A singular representation of the attributes and interests of both identified and partially-identified individuals.',
    extends: [XDM_RECORD_BEHAVIOR],
    fields: {
      _id: string('Identifier', 'A unique identifier for the record.'),
      _repo: object('Repository metadata', 'Metadata set by the repository.', {
        createDate: dateTime(
          'Create date',
          'The server date and time when the resource was created in the repository.',
        ),
        modifyDate: dateTime(
          'Modify date',
          'The server date and time when the resource was last modified in the repository.',
        ),
      }),
      createdByBatchID: string(
        'Created by batch identifier',
        'The dataset files in Catalog which has been originating the creation of the record.',
      ),
      modifiedByBatchID: string(
        'Modified by batch identifier',
        'The last dataset files in Catalog which has modified the record.',
      ),
      personID: string('Person ID', 'Unique identifier of the person this profile belongs to.'),
      repositoryCreatedBy: string('Created by user identifier', 'User ID of who created the record.'),
      repositoryLastModifiedBy: string('Modified by user identifier', 'User ID of who last modified the record.'),
    },
  },
  {
    $id: XDM_EXPERIENCE_EVENT_CLASS,
    resourceType: 'classes',
    title: 'XDM ExperienceEvent',
    description: 'A fact record of what occurred, including the point in time and identity of the individual involved.',
    extends: [XDM_TIME_SERIES_BEHAVIOR],
    required: ['_id', 'timestamp'],
    fields: {
      _id: string('Identifier', 'A unique identifier for the time-series event.'),
      timestamp: dateTime('Timestamp', 'The time when the event or observation occurred.'),
      eventType: string('Event type', 'The primary event type for this time-series record.'),
      producedBy: string('Produced by', 'A value that describes the producer of the event.'),
      eventMergeId: string('Event merge ID', 'An ID to correlate or merge multiple ExperienceEvents together.'),
    },
  },
  {
    $id: 'https://ns.adobe.com/xdm/context/identitymap',
    resourceType: 'mixins',
    title: 'IdentityMap',
    description: 'Identities of the subject, keyed by identity namespace.',
    intendedToExtend: [XDM_PROFILE_CLASS, XDM_EXPERIENCE_EVENT_CLASS],
    fields: { identityMap },
  },
  {
    $id: 'https://ns.adobe.com/xdm/context/profile-person-details',
    resourceType: 'mixins',
    title: 'Demographic Details',
    description: 'Demographic information such as name, gender, and birth date of an individual.',
    intendedToExtend: [XDM_PROFILE_CLASS],
    fields: {
      person: object('Person', 'An individual actor, contact, or owner.', {
        name: object('Full name', 'The full name of the person.', {
          firstName: string(
            'First name',
            'The first segment of the name in the writing order most commonly accepted in the language of the name.',
          ),
          middleName: string(
            'Middle name',
            'Middle, alternative, or additional names supplied between the first name and last name.',
          ),
          lastName: string(
            'Last name',
            'The last segment of the name in the writing order most commonly accepted in the language of the name.',
          ),
          fullName: string(
            'Full name',
            'The full name of the person, in the writing order most commonly accepted in the language of the name.',
          ),
          courtesyTitle: string(
            'Courtesy title',
            'Normally an abbreviation of a persons title, honorific, or salutation.',
          ),
        }),
        birthDate: string('Birth date', 'The full date a person was born.', { format: 'date', 'meta:xdmType': 'date' }),
        birthDayAndMonth: string('Birth day and month', 'The day and month a person was born, in the format MM-DD.', {
          pattern: '[0-1][0-9]-[0-9][0-9]',
        }),
        gender: string('Gender', 'The gender identity of the person.', {
          enum: ['male', 'female', 'not_specified', 'non_specific'],
        }),
      }),
    },
  },
  {
    $id: 'https://ns.adobe.com/xdm/context/profile-personal-details',
    resourceType: 'mixins',
    title: 'Personal Contact Details',
    description: 'Contact information for an individual person such as home address, phone number, and email.',
    intendedToExtend: [XDM_PROFILE_CLASS],
    fields: {
      personalEmail: emailAddress('Personal email', 'A personal email address.'),
      mobilePhone: phoneNumber('Mobile phone', 'Mobile phone number.'),
      homePhone: phoneNumber('Home phone', 'Home phone number.'),
      homeAddress: postalAddress('Home address', 'A home postal address.'),
    },
  },
  {
    $id: 'https://ns.adobe.com/xdm/context/profile-work-details',
    resourceType: 'mixins',
    title: 'Work Contact Details',
    description: 'Contact information for an individual person at work such as work address, phone number, and email.',
    intendedToExtend: [XDM_PROFILE_CLASS],
    fields: {
      workEmail: emailAddress('Work email', 'A work email address.'),
      workPhone: phoneNumber('Work phone', 'Work phone number.'),
      workAddress: postalAddress('Work address', 'A work postal address.'),
    },
  },
  {
    $id: 'https://ns.adobe.com/xdm/context/experienceevent-web',
    resourceType: 'mixins',
    title: 'Web Details',
    description: 'Web page and referrer details of an ExperienceEvent.',
    intendedToExtend: [XDM_EXPERIENCE_EVENT_CLASS],
    fields: {
      web: object('Web', 'Information about the web page and referrer.', {
        webPageDetails: object('Web page details', 'Details about the web page where the event occurred.', {
          name: string('Name', 'The normalized name of the web page.'),
          URL: string('URL', 'The URL of the web page.', { format: 'uri-reference' }),
        }),
        webReferrer: object('Web referrer', 'The referrer of the web page.', {
          URL: string('URL', 'The referrer URL.', { format: 'uri-reference' }),
        }),
      }),
    },
  },
  {
    $id: 'https://ns.adobe.com/xdm/context/experienceevent-commerce',
    resourceType: 'mixins',
    title: 'Commerce Details',
    description: 'Orders and purchases of an ExperienceEvent.',
    intendedToExtend: [XDM_EXPERIENCE_EVENT_CLASS],
    fields: {
      commerce: object('Commerce', 'Commerce-specific data related to this event.', {
        order: object('Order', 'The placed order for one or more products.', {
          purchaseID: string('Purchase ID', 'The unique identifier assigned by the seller for this purchase.'),
          priceTotal: number(
            'Price total',
            'The total price of this order after all discounts and taxes have been applied.',
          ),
          currencyCode: string('Currency code', 'The ISO 4217 currency code used for the order totals.', {
            pattern: '^[A-Z]{3}$',
          }),
        }),
        purchases: object('Purchases', 'An order has been accepted.', {
          value: number('Value', 'The number of purchases.'),
        }),
      }),
    },
  },
];

/** Adobe-owned resources of the `global` container (CONTRACT §10.3), in raw form (`allOf` + `definitions`). */
export const globalXdmResources: readonly XdmResourceDto[] = definitions.map(globalResource);
