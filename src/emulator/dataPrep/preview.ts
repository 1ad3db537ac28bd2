import { dataPrepError } from '../errors.ts';
import type { Reply, RouteContext } from '../router.ts';
import { resolveSchema } from '../schemaRegistry/resolve.ts';
import { applyMappings, fieldTypes, type MappedRecord } from './applyMappings.ts';
import { parseMappingSetBody } from './mappingSetBody.ts';
import { checkMappings } from './validate.ts';

/**
 * `POST /mappingSets/preview` with `{data, mappingSet}`: `data` one row (the spec's example,
 * aepp) answers one `{data, errors}` object (the spec's response); `data` an array of rows
 * (the spec's request schema) answers one such object per row, as an array (the docs' form,
 * §11 #29). Mappings that fail their checks are left out and reported in `errors`.
 */
export function previewMappingSet(ctx: RouteContext): Reply {
  const body = ctx.body as { data?: unknown; mappingSet?: unknown } | null | undefined;
  if (typeof body !== 'object' || body === null)
    throw dataPrepError(400, 1000, 'The request body must be {data, mappingSet}');
  const request = parseMappingSetBody(body.mappingSet);
  const rows = Array.isArray(body.data)
    ? body.data
    : typeof body.data === 'object' && body.data !== null
      ? [body.data]
      : undefined;
  if (rows === undefined) throw dataPrepError(400, 1009, 'data must be an array of sample rows');
  const { schemaId, verdicts } = checkMappings(ctx.part, request);
  const schema = resolveSchema(ctx.part, schemaId);
  const types = schema?.properties === undefined ? undefined : fieldTypes(schema.properties);
  const usable = request.mappings.filter((_, i) => verdicts[i]!.errors.length === 0);
  const checkErrors = verdicts.flatMap((v) => v.errors);
  const results = rows.map((row): MappedRecord => {
    const mapped = applyMappings(usable, row, { types, allowNullValues: request.allowNullValues });
    const errors = [...checkErrors, ...(mapped.errors ?? [])];
    return { data: mapped.data, errors };
  });
  return { status: 200, body: Array.isArray(body.data) ? results : results[0] };
}
