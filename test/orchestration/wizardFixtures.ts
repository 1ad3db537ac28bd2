import type { Platform } from '../platform.ts';

/** Connection specs of the walks, by id (their `name` slugs may change). */
export const S3_SPEC = 'ecadc60c-7455-4d87-84dc-2a0e293d997b';
export const ODATA_SPEC = '8e6b41a8-d998-4545-ad7d-c6a9fff406c3';
export const SERVICE_CLOUD_SPEC = 'cb66ab34-8619-49cb-96d1-39b37ede86ea';

const SR = '/data/foundation/schemaregistry';

/** A profile schema with the person and personal details field groups, made through REST. */
export async function profileSchema(rest: Platform, title: string): Promise<string> {
  const schema = await rest.call('POST', `${SR}/tenant/schemas`, {
    type: 'object',
    title,
    description: 'Profiles of a wizard walk',
    allOf: [
      { $ref: 'https://ns.adobe.com/xdm/context/profile' },
      { $ref: 'https://ns.adobe.com/xdm/context/profile-person-details' },
      { $ref: 'https://ns.adobe.com/xdm/context/profile-personal-details' },
    ],
  });
  return schema.$id as string;
}

export const CREATE_BASE = `mutation Connect($input: CreateBaseConnectionInput!) {
  createBaseConnection(input: $input) {
    userErrors { field code message }
    baseConnection { id name etag state connectionSpec { id } auth { specName setParams secretParams } }
  }
}`;

export const TEST_BASE = `query Test($id: ID!) {
  testBaseConnection(id: $id) { baseConnectionId reachable reason userErrors { field code message } }
}`;

export const EXPLORE = `query Explore($id: ID!, $path: String, $first: Int, $after: String) {
  baseConnection(id: $id) {
    explore(path: $path, first: $first, after: $after) {
      path
      userErrors { field code message }
      objects { totalCount pageInfo { hasNextPage endCursor } nodes { name path type size modifiedAt canPreview } }
    }
  }
}`;

export const PREVIEW = `query Preview($id: ID!, $path: String!, $fileType: PreviewFileType, $delimiter: String, $compression: PreviewCompression, $rows: Int) {
  baseConnection(id: $id) {
    preview(path: $path, fileType: $fileType, delimiter: $delimiter, compression: $compression, rows: $rows) {
      path
      userErrors { field code message }
      columns { name type }
      rows
    }
  }
}`;

export const SUGGEST = `query Suggest($input: SuggestMappingsInput!) {
  suggestMappings(input: $input) {
    userErrors { field code message }
    suggestions { sourceAttribute destinationXdmPath confidence reason }
    mappings { sourceAttribute destinationXdmPath }
    unmappedRequiredFields
  }
}`;

export const UPDATE_BASE = `mutation Rotate($input: UpdateBaseConnectionInput!) {
  updateBaseConnection(input: $input) {
    userErrors { field code message }
    baseConnection { id name etag auth { specName setParams secretParams } }
  }
}`;

export const DELETE_BASE = `mutation Remove($input: DeleteBaseConnectionInput!) {
  deleteBaseConnection(input: $input) {
    userErrors { field code message }
    deletedBaseConnectionId deletedFlowIds deletedSourceConnectionIds
  }
}`;
