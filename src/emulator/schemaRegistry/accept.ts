import type { IncomingHttpHeaders } from 'node:http';
import { xdmError } from '../errors.ts';

/**
 * The `Accept` rules of the Schema Registry (CONTRACT §4.2): every GET names the form it
 * wants; lists take `xed-id+json` or `xed+json`, lookups need `version=1`.
 */

export type ListForm = 'summary' | 'full';

export interface LookupForm {
  /** `$ref`/`allOf` resolved into one `properties` tree. */
  resolved: boolean;
  /** Field titles and descriptions dropped. */
  notext: boolean;
}

interface MediaType {
  type: string;
  version: string | undefined;
}

/** The first media type of the header, lower-cased, with its `version` parameter. */
function mediaType(headers: IncomingHttpHeaders): MediaType | undefined {
  const raw = headers['accept'];
  const value = typeof raw === 'string' ? raw.trim() : undefined;
  if (value === undefined || value === '') return undefined;
  const parts: string[] = (value.split(',')[0] ?? '').split(';').map((s) => s.trim());
  const version = parts
    .slice(1)
    .map((p) => /^version\s*=\s*"?([^"]*)"?$/i.exec(p)?.[1])
    .find((v) => v !== undefined);
  return { type: (parts[0] ?? '').toLowerCase(), version };
}

const LIST_FORMS: Record<string, ListForm> = {
  'application/vnd.adobe.xed-id+json': 'summary',
  'application/vnd.adobe.xed+json': 'full',
};

/** Lookup forms the emulator serves; `-desc` and `-deprecatefield` come back resolved without descriptors. */
const LOOKUP_FORMS: Record<string, LookupForm> = {
  'application/vnd.adobe.xed+json': { resolved: false, notext: false },
  'application/vnd.adobe.xed-notext+json': { resolved: false, notext: true },
  'application/vnd.adobe.xed-full+json': { resolved: true, notext: false },
  'application/vnd.adobe.xed-full-notext+json': { resolved: true, notext: true },
  'application/vnd.adobe.xed-full-desc+json': { resolved: true, notext: false },
  'application/vnd.adobe.xed-deprecatefield+json': { resolved: true, notext: false },
};

/** Missing or other Accept → 400 `XDM-1006-400`. */
export function listForm(headers: IncomingHttpHeaders): ListForm {
  const media = mediaType(headers);
  const form = media === undefined ? undefined : LIST_FORMS[media.type];
  if (form === undefined) {
    throw xdmError(
      400,
      1006,
      `Accept header invalid: lists accept application/vnd.adobe.xed-id+json or application/vnd.adobe.xed+json, got ${media?.type ?? 'none'}`,
    );
  }
  return form;
}

/**
 * A lookup's form and the major version asked for. Missing Accept or a known XDM form
 * without `version` → 400 `XDM-1007-400`; any other media type → 406.
 */
export function lookupForm(headers: IncomingHttpHeaders): LookupForm & { version: string; mediaType: string } {
  const media = mediaType(headers);
  const known = media !== undefined && (media.type in LOOKUP_FORMS || media.type in LIST_FORMS);
  // `*/*` is what HTTP clients send when the caller set no Accept at all
  if (media === undefined || media.type === '*/*' || (known && media.version === undefined)) {
    throw xdmError(
      400,
      1007,
      'Accept header must specify the major version of the resource, e.g. application/vnd.adobe.xed-full+json; version=1',
    );
  }
  const form = LOOKUP_FORMS[media.type];
  if (form === undefined || media.version === undefined) {
    throw xdmError(406, 1008, `The requested format ${media.type} is not available for this resource`);
  }
  return { ...form, version: media.version, mediaType: media.type };
}
