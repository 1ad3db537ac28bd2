/**
 * Data Prep (Conversion) wire types (`/data/foundation/conversion`). Two request
 * generations exist (§5.2); the stored form carries both vocabularies.
 */

export type MappingSourceType = 'ATTRIBUTE' | 'EXPRESSION' | 'STATIC' | 'text/x.schema-path' | 'text/x.aep-xl';

/** Current request style. */
export interface MappingInputDto {
  sourceType?: 'ATTRIBUTE' | 'EXPRESSION' | 'STATIC';
  source?: string;
  destination?: string;
  name?: string;
  description?: string;
  /** Legacy request style. */
  sourceAttribute?: string;
  destinationXdmPath?: string;
  identity?: boolean;
  identityGroup?: string | null;
  namespaceCode?: string | null;
  version?: number;
}

export interface CreateMappingSetDto {
  /** Current style. */
  outputSchema?: { schemaRef: { id: string; contentType: string } };
  /** Legacy style: the target schema `$id` (or, in the streaming tutorial, its altId). */
  xdmSchema?: string;
  xdmVersion?: string;
  name?: string;
  version?: number;
  allowNullValues?: boolean;
  tags?: Record<string, unknown>;
  mappings: MappingInputDto[];
}

export interface MappingDto {
  id: string;
  version: number;
  createdDate: number;
  modifiedDate: number;
  createdBy: string;
  modifiedBy: string;
  sourceType: MappingSourceType;
  source: string;
  destination: string;
  sourceAttribute: string;
  destinationXdmPath: string;
  identity: boolean;
  primaryIdentity: boolean;
  namespaceCode?: string | null;
  identityGroup?: string | null;
  matchScore: number;
  functionVersion: number;
  name?: string;
  description?: string;
}

export interface MappingSetDto {
  id: string;
  version: number;
  createdDate: number;
  modifiedDate: number;
  createdBy: string;
  modifiedBy: string;
  name?: string;
  supportVersion: string;
  /** Present only when the mapping set was made from a sample of the input. */
  inputSchema?: { id: string; version: number; sampleId?: string };
  outputSchema: { id: string | null; version: number | null; schemaRef: { id: string; contentType: string } };
  status: 'PUBLISHED' | 'DRAFT';
  strictMapping: boolean;
  allowNullValues: boolean;
  xdmVersion: string;
  schemaRef: { id: string; contentType: string };
  xdmSchema: string;
  mappings: MappingDto[];
}

export interface CreatedMappingSetDto {
  id: string;
  version: number;
  createdDate: number;
  modifiedDate: number;
  createdBy: string;
  modifiedBy: string;
}

export interface MappingSetListDto {
  data: MappingSetDto[];
  _page: { count: number; limit: number };
  _links?: { next?: { href: string } };
}

export interface TransformErrorDto {
  code: string;
  message: string;
  field?: string;
}

export interface ValidationResponseDto {
  /** `errors` is an array in the spec; the docs' examples show `null` on success, so both are read. */
  validationResponse: Array<{ status: 'SUCCESS' | 'FAILED'; errors: TransformErrorDto[] | null }>;
}
