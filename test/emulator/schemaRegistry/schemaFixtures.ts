import type { Call } from '../emulatorHarness.ts';

export const SR = '/data/foundation/schemaregistry';
export const PROFILE_CLASS = 'https://ns.adobe.com/xdm/context/profile';
export const EVENT_CLASS = 'https://ns.adobe.com/xdm/context/experienceevent';
export const PERSON_DETAILS = 'https://ns.adobe.com/xdm/context/profile-person-details';
export const PERSONAL_DETAILS = 'https://ns.adobe.com/xdm/context/profile-personal-details';
export const WEB_DETAILS = 'https://ns.adobe.com/xdm/context/experienceevent-web';
export const FULL_V1 = 'application/vnd.adobe.xed-full+json; version=1';
export const RAW_V1 = 'application/vnd.adobe.xed+json; version=1';

/** Creates a profile-class schema with the person-details and personal-details field groups through HTTP. */
export async function createProfileSchema(call: Call, title = 'Customers'): Promise<{ $id: string; 'meta:altId': string }> {
  const res = await call('POST', `${SR}/tenant/schemas`, {
    body: {
      type: 'object',
      title,
      description: 'Customer profiles',
      allOf: [{ $ref: PROFILE_CLASS }, { $ref: PERSON_DETAILS }, { $ref: PERSONAL_DETAILS }],
    },
  });
  if (res.status !== 201) throw new Error(`schema create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
