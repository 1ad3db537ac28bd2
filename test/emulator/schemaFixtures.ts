import type { XdmResourceDto } from '../../src/upstream/schemaRegistry/types.ts';
import type { Call } from './emulatorHarness.ts';

/** Test setup shared by the emulator's tests: XDM schemas and datasets created through HTTP. */

export const SR = '/data/foundation/schemaregistry';
export const PROFILE_CLASS = 'https://ns.adobe.com/xdm/context/profile';
export const EVENT_CLASS = 'https://ns.adobe.com/xdm/context/experienceevent';
export const PERSON_DETAILS = 'https://ns.adobe.com/xdm/context/profile-person-details';
export const PERSONAL_DETAILS = 'https://ns.adobe.com/xdm/context/profile-personal-details';
export const WEB_DETAILS = 'https://ns.adobe.com/xdm/context/experienceevent-web';
export const FULL_V1 = 'application/vnd.adobe.xed-full+json; version=1';
export const RAW_V1 = 'application/vnd.adobe.xed+json; version=1';

async function createSchema(call: Call, title: string, description: string, refs: string[]): Promise<XdmResourceDto> {
  const res = await call<XdmResourceDto>('POST', `${SR}/tenant/schemas`, {
    body: { type: 'object', title, description, allOf: refs.map(($ref) => ({ $ref })) },
  });
  if (res.status !== 201) throw new Error(`schema create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A profile-class schema with the person-details and personal-details field groups. */
export function createProfileSchema(call: Call, title = 'Customers'): Promise<XdmResourceDto> {
  return createSchema(call, title, 'Customer profiles', [PROFILE_CLASS, PERSON_DETAILS, PERSONAL_DETAILS]);
}

/** An ExperienceEvent schema (the class requires `_id` and `timestamp`) with web details. */
export function createEventSchema(call: Call): Promise<XdmResourceDto> {
  return createSchema(call, 'Web events', 'Page views', [EVENT_CLASS, WEB_DETAILS]);
}

/** A dataset on `schemaId`; returns its id. */
export async function createDataSet(call: Call, schemaId: string, name = 'Loyalty members'): Promise<string> {
  const res = await call<string[]>('POST', '/data/foundation/catalog/dataSets', {
    body: { name, schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
  });
  if (res.status !== 201) throw new Error(`dataset create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body[0]!.replace('@/dataSets/', '');
}
