/**
 * Schema Registry wire types (`/data/foundation/schemaregistry`). Resources are XDM JSON
 * schemas with `meta:` keys; which form comes back depends on the `Accept` header (§4.2).
 */

export interface XdmFieldDto {
  type?: string;
  title?: string;
  description?: string;
  format?: string;
  items?: XdmFieldDto;
  properties?: Record<string, XdmFieldDto>;
  enum?: unknown[];
  $ref?: string;
  'meta:xdmType'?: string;
  [key: string]: unknown;
}

export interface RegistryMetadataDto {
  'repo:createdDate': number;
  'repo:lastModifiedDate': number;
  'xdm:createdClientId': string;
  'xdm:lastModifiedClientId': string;
  'xdm:createdUserId'?: string;
  'xdm:lastModifiedUserId'?: string;
  eTag: string;
  'meta:globalLibVersion'?: string;
}

export type XdmResourceType = 'schemas' | 'classes' | 'mixins' | 'datatypes' | 'behaviors' | 'unions';

/** A schema, class, field group or behavior as stored (raw form, with `$ref`/`allOf`). */
export interface XdmResourceDto {
  $id: string;
  'meta:altId': string;
  'meta:resourceType': XdmResourceType;
  version: string;
  title: string;
  description?: string;
  type: 'object';
  allOf?: Array<{ $ref?: string; properties?: Record<string, XdmFieldDto>; type?: string; [key: string]: unknown }>;
  properties?: Record<string, XdmFieldDto>;
  definitions?: Record<string, { properties?: Record<string, XdmFieldDto>; [key: string]: unknown }>;
  'meta:class'?: string;
  'meta:abstract'?: boolean;
  'meta:extensible'?: boolean;
  'meta:extends'?: string[];
  'meta:intendedToExtend'?: string[];
  'meta:containerId': 'global' | 'tenant';
  'meta:sandboxId'?: string;
  'meta:sandboxType'?: string;
  'meta:tenantNamespace'?: string;
  'meta:datasetNamespace'?: string;
  'meta:xdmType'?: string;
  'meta:behaviorType'?: string;
  imsOrg?: string;
  'meta:registryMetadata'?: RegistryMetadataDto;
  [key: string]: unknown;
}

/** `Accept: application/vnd.adobe.xed-id+json` list entry. */
export interface XdmSummaryDto {
  $id: string;
  'meta:altId': string;
  version: string;
  title: string;
}

export interface XdmListDto<T = XdmSummaryDto | XdmResourceDto> {
  results: T[];
  _page: { orderby?: string; next: string | null; count: number };
  _links: { next?: { href: string } | null; global_schemas?: { href: string } };
}

export interface CreateXdmResourceDto {
  type: 'object';
  title: string;
  description?: string;
  allOf: XdmResourceDto['allOf'];
  'meta:intendedToExtend'?: string[];
  definitions?: XdmResourceDto['definitions'];
  'meta:extends'?: string[];
}

export interface XdmProblemDto {
  type: string;
  title: string;
  status: number;
  report: {
    registryRequestId: string;
    timestamp: string;
    'detailed-message': string;
    'sub-errors': unknown[];
  };
  detail: string;
}

export interface XdmStatsDto {
  imsOrg: string;
  tenantId: string;
  counts: { schemas: number; mixins: number; datatypes: number; classes: number; unions: number };
}
