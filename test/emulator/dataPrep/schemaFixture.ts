import type { XdmResourceDto } from '../../../src/upstream/schemaRegistry/types.ts';
import type { Call } from '../emulatorHarness.ts';

export const PROFILE_CLASS = 'https://ns.adobe.com/xdm/context/profile';
export const PERSON_DETAILS = 'https://ns.adobe.com/xdm/context/profile-person-details';
export const PERSONAL_CONTACT = 'https://ns.adobe.com/xdm/context/profile-personal-details';

/** Creates a tenant profile schema with name, birth date, gender and personal email fields. */
export async function createProfileSchema(call: Call, title = 'Loyalty members'): Promise<XdmResourceDto> {
  const res = await call<XdmResourceDto>('POST', '/data/foundation/schemaregistry/tenant/schemas', {
    body: {
      type: 'object',
      title,
      description: 'Profiles streamed by the loyalty system',
      allOf: [{ $ref: PROFILE_CLASS }, { $ref: PERSON_DETAILS }, { $ref: PERSONAL_CONTACT }],
    },
  });
  if (res.status !== 201) throw new Error(`schema create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Creates a tenant ExperienceEvent schema (the class requires `_id` and `timestamp`) with web details. */
export async function createEventSchema(call: Call): Promise<XdmResourceDto> {
  const res = await call<XdmResourceDto>('POST', '/data/foundation/schemaregistry/tenant/schemas', {
    body: {
      type: 'object',
      title: 'Web events',
      description: 'Page views',
      allOf: [{ $ref: 'https://ns.adobe.com/xdm/context/experienceevent' }, { $ref: 'https://ns.adobe.com/xdm/context/experienceevent-web' }],
    },
  });
  if (res.status !== 201) throw new Error(`schema create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Creates a dataset on `schemaId` and returns its id. */
export async function createDataSet(call: Call, schemaId: string, name = 'Loyalty members'): Promise<string> {
  const res = await call<string[]>('POST', '/data/foundation/catalog/dataSets', {
    body: { name, schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
  });
  if (res.status !== 201) throw new Error(`dataset create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body[0]!.replace('@/dataSets/', '');
}
