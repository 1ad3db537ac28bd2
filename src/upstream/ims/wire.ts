/** IMS wire rules shared by the client and the emulator. Pure: no I/O. */

/** The client-credentials token endpoint, on the IMS origin. */
export const IMS_TOKEN_PATH = '/ims/token/v3';

/**
 * The user id the Platform records as `createdBy`/`createdUser`/`xdm:createdUserId` for
 * a technical account or service: its client id with the `@AdobeID` suffix (§1.4).
 */
export const adobeIdOf = (clientId: string): string => `${clientId}@AdobeID`;
