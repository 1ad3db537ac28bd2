import type { IncomingHttpHeaders } from 'node:http';
import {
  XDM_LIST_FORMS,
  XDM_LOOKUP_FORMS,
  XED,
  XED_FULL_V1,
  XED_ID,
  parseMediaType,
  type MediaType,
  type XdmListForm,
  type XdmLookupForm,
} from '../../upstream/schemaRegistry/wire.ts';
import { xdmError } from '../errors.ts';

/**
 * The `Accept` rules of the Schema Registry (CONTRACT §4.2): every GET names the form it
 * wants; lists take `xed-id+json` or `xed+json`, lookups need `version=1`.
 */

export type ListForm = XdmListForm;
export type LookupForm = XdmLookupForm;

/** The first media type of the header in the `xed` spelling: the spec names `…xdm-full+json` valid too. */
function mediaType(headers: IncomingHttpHeaders): MediaType | undefined {
  const media = parseMediaType(typeof headers['accept'] === 'string' ? headers['accept'] : undefined);
  if (media === undefined) return undefined;
  return { ...media, type: media.type.replace(/^application\/vnd\.adobe\.xdm(?=[-+])/, 'application/vnd.adobe.xed') };
}

/** Missing or other Accept → 400 `XDM-1006-400`. */
export function listForm(headers: IncomingHttpHeaders): ListForm {
  const media = mediaType(headers);
  const form = media === undefined ? undefined : XDM_LIST_FORMS[media.type];
  if (form === undefined) {
    throw xdmError(400, 1006, `Accept header invalid: lists accept ${XED_ID} or ${XED}, got ${media?.type ?? 'none'}`);
  }
  return form;
}

/**
 * A lookup's form and the major version asked for. Missing Accept or a known XDM form
 * without `version` → 400 `XDM-1007-400`; any other media type → 406.
 */
export function lookupForm(headers: IncomingHttpHeaders): LookupForm & { version: string; mediaType: string } {
  const media = mediaType(headers);
  const known = media !== undefined && (media.type in XDM_LOOKUP_FORMS || media.type in XDM_LIST_FORMS);
  // `*/*` is what HTTP clients send when the caller set no Accept at all
  if (media === undefined || media.type === '*/*' || (known && media.version === undefined)) {
    throw xdmError(400, 1007, `Accept header must specify the major version of the resource, e.g. ${XED_FULL_V1}`);
  }
  const form = XDM_LOOKUP_FORMS[media.type];
  if (form === undefined || media.version === undefined) {
    throw xdmError(406, 1008, `The requested format ${media.type} is not available for this resource`);
  }
  return { ...form, version: media.version, mediaType: media.type };
}
