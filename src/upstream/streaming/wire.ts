/** Streaming collection (DCS) wire rules shared by the client and the emulator. Pure. */

/** Every collection route starts here, on the collection origin. */
export const COLLECTION_PATH = '/collection';

/** The header (or query parameter) that names the flow of a raw-data message (§6.2). */
export const FLOW_ID_HEADER = 'x-adobe-flow-id';

/** `POST /collection/{inletId}`: one message. */
export const messagePath = (inletId: string): string => `${COLLECTION_PATH}/${inletId}`;

/** `POST /collection/batch/{inletId}`: many messages, one result each. */
export const batchPath = (inletId: string): string => `${COLLECTION_PATH}/batch/${inletId}`;

/** The `inletUrl` of a base connection: the collection origin and the inlet's message path. */
export const inletUrlOf = (collectionOrigin: string, inletId: string): string =>
  `${collectionOrigin.replace(/\/+$/, '')}${messagePath(inletId)}`;

/** `syncValidation=true` is limited to 60 requests per minute per inlet (§1.7, §6.2). */
export const SYNC_VALIDATION_LIMIT = { requests: 60, windowMs: 60_000 } as const;
