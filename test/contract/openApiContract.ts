import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { createRequire } from 'node:module';

/**
 * The official OpenAPI files (contract/openapi/) as a validator: an exchange's method and path
 * find the operation (path templates under each service's base path), and Ajv checks the
 * response body against the operation's response schema and a request against its
 * parameters and request body. Each document is registered with Ajv whole, so `$ref`s
 * (circular ones included) resolve inside it; each schema is compiled once, on first use.
 */

export const SPEC_FILES = [
  'flow-service',
  'catalog',
  'schema-registry',
  'data-prep',
  'streaming-ingestion',
  'observability-insights',
] as const;
export type SpecFile = (typeof SPEC_FILES)[number];

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const OPENAPI_DIR = new URL('../../contract/openapi/', import.meta.url);
/** Parsed documents, keyed by a hash of the YAML: parsing YAML costs each test process a second or more. */
const CACHE_DIR = new URL('../../node_modules/.cache/ingestion-graph-contract/', import.meta.url);

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  /** JSON pointer of the parameter's schema (made for Swagger 2 parameters by `normalise`). */
  schema: string | undefined;
}

export interface Operation {
  spec: SpecFile;
  /** The operationId, or `METHOD template` where the file gives none. */
  id: string;
  method: string;
  /** Base path + path template, e.g. `/data/foundation/flowservice/flows/{id}`. */
  template: string;
  segments: string[];
  parameters: Parameter[];
  /** Media type → schema pointer; undefined when the operation takes no body. */
  requestBody: { required: boolean; content: Record<string, string | undefined> } | undefined;
  /** Status (`200`, `2XX`, `default`) → media type → schema pointer (undefined: declared without a schema). */
  responses: Record<string, Record<string, string | undefined>>;
}

export interface Problem {
  /** `body`, `query.limit`, `header.accept`, `path.id`, or a JSON pointer into the body (`body/items/0/name`). */
  at: string;
  keyword: string;
  message: string;
}

export type Outcome =
  | { kind: 'valid' }
  | { kind: 'invalid'; problems: Problem[] }
  /** The status is not declared for the operation (no `default` either). */
  | { kind: 'undeclared' }
  /** Declared, but without a schema to check the body with. */
  | { kind: 'unchecked' };

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function basePathOf(doc: Json): string {
  if (typeof doc['basePath'] === 'string') return doc['basePath'].replace(/\/+$/, '');
  const servers = doc['servers'] as Array<{ url: string }> | undefined;
  const url = servers?.[0]?.url ?? '';
  // `//{environment}.adobe.io/data/foundation/catalog`, `https://dcs.adobedc.net/`
  const path = url.replace(/^[a-z]*:?\/\/[^/]*/i, '');
  return path.replace(/\/+$/, '');
}

/**
 * OpenAPI 3.0 and Swagger 2 schema dialect → what Ajv (draft-07) reads: boolean
 * `exclusiveMinimum`/`exclusiveMaximum` become numbers. Everything else Ajv reads as is
 * (`nullable` is an Ajv keyword; `example`, `x-*`, `discriminator` are ignored); a Swagger 2
 * parameter gets a `schema` of its own keywords; a boolean `required` inside a schema (a
 * mistake of some files) is dropped. A string `$id`
 * is dropped: the Schema Registry file's examples carry resources' `$id`s, which Ajv would read
 * as schema ids.
 */
function normalise(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) normalise(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const o = node as Json;
  for (const [bound, limit] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof o[bound] !== 'boolean') continue;
    if (o[bound] === true && typeof o[limit] === 'number') {
      o[bound] = o[limit];
      delete o[limit];
    } else {
      delete o[bound];
    }
  }
  // Ajv reads every `$id` under a registered document as a schema id, examples' included
  if (typeof o['$id'] === 'string') delete o['$id'];
  const isParameter = typeof o['in'] === 'string';
  // a Swagger 2 parameter is its own schema: give it one, so the parameter is never compiled
  if (isParameter && o['in'] !== 'body' && o['schema'] === undefined) {
    const keywords = ['type', 'format', 'enum', 'items', 'default', 'pattern', 'minimum', 'maximum'];
    o['schema'] = Object.fromEntries(keywords.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  }
  // `required: true` is a parameter's or request body's flag; inside a schema it is a mistake Ajv refuses
  if (typeof o['required'] === 'boolean' && !isParameter && o['content'] === undefined) delete o['required'];
  for (const value of Object.values(o)) normalise(value);
}

class SpecDocument {
  readonly uri: string;
  constructor(
    readonly file: SpecFile,
    readonly doc: Json,
  ) {
    this.uri = `https://contract.local/${file}.json`;
  }

  get swagger2(): boolean {
    return typeof this.doc['swagger'] === 'string';
  }

  /** Follows `$ref`s inside the document; returns the node and its pointer. */
  follow(node: unknown, pointer: string): { node: Json; pointer: string } {
    let current = node as Json;
    let at = pointer;
    for (let hops = 0; typeof current['$ref'] === 'string' && hops < 10; hops++) {
      const ref = current['$ref'];
      if (!ref.startsWith('#/')) throw new Error(`${this.file}: external $ref ${ref} is not supported`);
      at = ref.slice(1);
      current = this.at(at) as Json;
    }
    return { node: current, pointer: at };
  }

  at(pointer: string): unknown {
    let node: unknown = this.doc;
    for (const raw of pointer.split('/').slice(1)) {
      const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
      node = (node as Json | undefined)?.[key];
    }
    return node;
  }
}

function readDocuments(): SpecDocument[] {
  const texts = SPEC_FILES.map((file) => readFileSync(new URL(`${file}.yaml`, OPENAPI_DIR), 'utf8'));
  const hash = createHash('sha256');
  for (const text of texts) hash.update(text);
  const cached = new URL(`${hash.digest('hex').slice(0, 16)}.json`, CACHE_DIR);
  let docs: Json[];
  try {
    docs = JSON.parse(readFileSync(cached, 'utf8')) as Json[];
  } catch {
    // loaded only here: most processes read the cache and never need a YAML parser
    const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    docs = texts.map((text) => {
      const doc = parse(text) as Json;
      normalise(doc);
      return doc;
    });
    mkdirSync(CACHE_DIR, { recursive: true });
    // written aside and renamed, so a concurrent reader never sees half a file
    const partial = new URL(`${process.pid}.tmp`, CACHE_DIR);
    writeFileSync(partial, JSON.stringify(docs));
    renameSync(partial, cached);
  }
  return SPEC_FILES.map((file, i) => new SpecDocument(file, docs[i]!));
}

function operationsOf(spec: SpecDocument): Operation[] {
  const base = basePathOf(spec.doc);
  const out: Operation[] = [];
  const paths = spec.doc['paths'] as Record<string, Json>;
  for (const [template, item] of Object.entries(paths)) {
    const itemPointer = `/paths/${escapePointer(template)}`;
    const shared = (item['parameters'] as unknown[] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (op === undefined) continue;
      const opPointer = `${itemPointer}/${method}`;
      const declared = [
        ...shared.map((p, i) => spec.follow(p, `${itemPointer}/parameters/${i}`)),
        ...((op['parameters'] as unknown[] | undefined) ?? []).map((p, i) =>
          spec.follow(p, `${opPointer}/parameters/${i}`),
        ),
      ];
      const parameters: Parameter[] = [];
      let requestBody: Operation['requestBody'];
      for (const { node, pointer } of declared) {
        const where = node['in'];
        if (where === 'body') {
          const consumes = (op['consumes'] ?? spec.doc['consumes'] ?? ['application/json']) as string[];
          const schema = `${pointer}/schema`;
          requestBody = {
            required: node['required'] === true,
            content: Object.fromEntries(consumes.map((mt) => [mt, schema])),
          };
          continue;
        }
        if (where !== 'path' && where !== 'query' && where !== 'header') continue;
        const name = String(node['name']);
        // a later declaration (the operation's) overrides a path-level one of the same name
        const existing = parameters.findIndex((p) => p.name === name && p.in === where);
        const parameter: Parameter = {
          name,
          in: where,
          required: node['required'] === true || where === 'path',
          schema: node['schema'] !== undefined ? `${pointer}/schema` : undefined,
        };
        if (existing >= 0) parameters[existing] = parameter;
        else parameters.push(parameter);
      }
      if (op['requestBody'] !== undefined) {
        const { node, pointer } = spec.follow(op['requestBody'], `${opPointer}/requestBody`);
        const content = (node['content'] as Record<string, Json> | undefined) ?? {};
        requestBody = {
          required: node['required'] === true,
          content: Object.fromEntries(
            Object.entries(content).map(([mt, media]) => [
              mt,
              media['schema'] === undefined ? undefined : `${pointer}/content/${escapePointer(mt)}/schema`,
            ]),
          ),
        };
      }
      const responses: Operation['responses'] = {};
      for (const [status, declaredResponse] of Object.entries((op['responses'] as Json | undefined) ?? {})) {
        const { node, pointer } = spec.follow(declaredResponse, `${opPointer}/responses/${escapePointer(status)}`);
        if (spec.swagger2) {
          const produces = (op['produces'] ?? spec.doc['produces'] ?? ['application/json']) as string[];
          const schema = node['schema'] === undefined ? undefined : `${pointer}/schema`;
          responses[status] = schema === undefined ? {} : Object.fromEntries(produces.map((mt) => [mt, schema]));
        } else {
          const content = (node['content'] as Record<string, Json> | undefined) ?? {};
          responses[status] = Object.fromEntries(
            Object.entries(content).map(([mt, media]) => [
              mt,
              media['schema'] === undefined ? undefined : `${pointer}/content/${escapePointer(mt)}/schema`,
            ]),
          );
        }
      }
      const full = `${base}${template}`.replace(/\/+$/, '') || '/';
      out.push({
        spec: spec.file,
        id: typeof op['operationId'] === 'string' ? op['operationId'] : `${method.toUpperCase()} ${full}`,
        method: method.toUpperCase(),
        template: full,
        segments: full.split('/').filter((s) => s.length > 0),
        parameters,
        requestBody,
        responses,
      });
    }
  }
  return out;
}

const isParam = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The declared media type that fits a content type: exact, then any JSON one, then the first. */
function pickMedia(content: Record<string, string | undefined>, contentType: string | undefined) {
  const keys = Object.keys(content);
  if (keys.length === 0) return undefined;
  const wanted = mediaTypeOf(contentType);
  const exact = keys.find((k) => mediaTypeOf(k) === wanted);
  const json = keys.find((k) => /json/i.test(k) || k === '*/*');
  return exact ?? json ?? keys[0];
}

function problemsOf(errors: ErrorObject[] | null | undefined, prefix: string): Problem[] {
  return (errors ?? []).map((e) => ({
    at: `${prefix}${e.instancePath}`,
    keyword: e.keyword,
    message: `${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}${e.keyword === 'enum' ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})` : ''}`,
  }));
}

export class OpenApiContract {
  readonly operations: Operation[];
  readonly #documents = new Map<SpecFile, SpecDocument>();
  readonly #bodies: Ajv;
  readonly #params: Ajv;
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor() {
    const options = { strict: false, allErrors: true, validateSchema: false } as const;
    this.#bodies = new Ajv(options);
    // query, path and header values are strings on the wire: coerce them to the declared type
    this.#params = new Ajv({ ...options, coerceTypes: 'array' });
    this.operations = [];
    for (const spec of readDocuments()) {
      this.#documents.set(spec.file, spec);
      this.operations.push(...operationsOf(spec));
    }
    for (const ajv of [this.#bodies, this.#params]) {
      addFormats.default(ajv);
      // numeric widths and OpenAPI's annotation formats: nothing to check beyond the type
      for (const format of ['int32', 'int64', 'float', 'double', 'password', 'byte', 'binary', 'parquet'])
        ajv.addFormat(format, true);
      for (const spec of this.#documents.values()) ajv.addSchema(spec.doc, spec.uri);
    }
  }

  /** The operation serving `method path`: literal segments win over templated ones. */
  match(method: string, path: string): { operation: Operation; params: Record<string, string> } | undefined {
    const actual = path.split('/').filter((s) => s.length > 0);
    let best: { operation: Operation; params: Record<string, string>; literals: number } | undefined;
    for (const operation of this.operations) {
      if (operation.method !== method || operation.segments.length !== actual.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      for (let i = 0; i < actual.length && ok; i++) {
        const t = operation.segments[i]!;
        const a = actual[i]!;
        if (isParam(t)) params[t.slice(1, -1)] = safeDecode(a);
        else if (t === a) literals++;
        else ok = false;
      }
      if (ok && (best === undefined || literals > best.literals)) best = { operation, params, literals };
    }
    return best === undefined ? undefined : { operation: best.operation, params: best.params };
  }

  /** The operations a route template (`:name` for a parameter) can serve: each segment pair is equal or has a parameter. */
  operationsForRoute(method: string, template: string): Operation[] {
    const route = template.split('/').filter((s) => s.length > 0);
    return this.operations.filter(
      (op) =>
        op.method === method &&
        op.segments.length === route.length &&
        op.segments.every((t, i) => isParam(t) || route[i]!.startsWith(':') || t === route[i]),
    );
  }

  validateResponse(operation: Operation, status: number, contentType: string | undefined, text: string): Outcome {
    const declared =
      operation.responses[String(status)] ??
      operation.responses[`${String(status)[0]}XX`] ??
      operation.responses['default'];
    if (declared === undefined) return { kind: 'undeclared' };
    const media = pickMedia(declared, contentType);
    const pointer = media === undefined ? undefined : declared[media];
    if (pointer === undefined) return { kind: 'unchecked' };
    if (text === '')
      return { kind: 'invalid', problems: [{ at: 'body', keyword: 'required', message: 'the body is empty' }] };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { kind: 'invalid', problems: [{ at: 'body', keyword: 'type', message: 'the body is not JSON' }] };
    }
    const validate = this.#compile(this.#bodies, operation.spec, pointer);
    return validate(body) ? { kind: 'valid' } : { kind: 'invalid', problems: problemsOf(validate.errors, 'body') };
  }

  /** Path parameters, query, headers and body of a request against the operation's declaration. */
  validateRequest(
    operation: Operation,
    request: {
      params: Record<string, string>;
      query: URLSearchParams;
      headers: Record<string, string | string[] | undefined>;
      body: Buffer;
    },
  ): Outcome {
    const problems: Problem[] = [];
    for (const parameter of operation.parameters) {
      const values =
        parameter.in === 'path'
          ? [request.params[parameter.name]].filter((v): v is string => v !== undefined)
          : parameter.in === 'query'
            ? request.query.getAll(parameter.name)
            : headerValues(request.headers, parameter.name);
      const at = `${parameter.in}.${parameter.name}`;
      if (values.length === 0) {
        if (parameter.required) problems.push({ at, keyword: 'required', message: 'is required and missing' });
        continue;
      }
      if (parameter.schema === undefined) continue;
      const doc = this.#documents.get(operation.spec)!;
      const schema = doc.follow(doc.at(parameter.schema), parameter.schema).node;
      // coerceTypes rewrites a value inside its container: validate a holder object
      const holder = { value: schema['type'] === 'array' ? values : values[values.length - 1] };
      const validate = this.#compile(this.#params, operation.spec, parameter.schema, true);
      if (!validate(holder))
        problems.push(...problemsOf(validate.errors, at).map((p) => ({ ...p, at: p.at.replace('/value', '') })));
    }
    const declaredQuery = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of new Set(request.query.keys()))
      if (!declaredQuery.has(name))
        problems.push({ at: `query.${name}`, keyword: 'undeclared', message: 'is not a parameter of the operation' });
    const text = request.body.toString('utf8');
    if (operation.requestBody === undefined) {
      if (text !== '') problems.push({ at: 'body', keyword: 'undeclared', message: 'the operation takes no body' });
    } else if (text === '') {
      if (operation.requestBody.required)
        problems.push({ at: 'body', keyword: 'required', message: 'the body is required' });
    } else {
      const contentType = headerValues(request.headers, 'content-type')[0];
      const media = pickMedia(operation.requestBody.content, contentType);
      const pointer = media === undefined ? undefined : operation.requestBody.content[media];
      if (media !== undefined && mediaTypeOf(media) !== mediaTypeOf(contentType) && !/json/i.test(contentType ?? ''))
        problems.push({ at: 'header.content-type', keyword: 'enum', message: `${contentType} is not declared` });
      if (pointer !== undefined && /json/i.test(contentType ?? '')) {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          problems.push({ at: 'body', keyword: 'type', message: 'the body is not JSON' });
        }
        if (body !== undefined) {
          const validate = this.#compile(this.#bodies, operation.spec, pointer);
          if (!validate(body)) problems.push(...problemsOf(validate.errors, 'body'));
        }
      }
    }
    return problems.length === 0 ? { kind: 'valid' } : { kind: 'invalid', problems };
  }

  #compile(ajv: Ajv, file: SpecFile, pointer: string, holder = false): ValidateFunction {
    const uri = `${this.#documents.get(file)!.uri}#${pointer}`;
    const key = `${ajv === this.#params ? 'p' : 'b'}${holder ? 'h' : ''} ${uri}`;
    let validate = this.#compiled.get(key);
    if (validate === undefined) {
      validate = holder
        ? ajv.compile({ type: 'object', properties: { value: { $ref: uri } } })
        : ajv.compile({ $ref: uri });
      this.#compiled.set(key, validate);
    }
    return validate;
  }
}

function headerValues(headers: Record<string, string | string[] | undefined>, name: string): string[] {
  const value = headers[name.toLowerCase()];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

let shared: OpenApiContract | undefined;

/** One contract per process, loaded on first use. */
export function openApiContract(): OpenApiContract {
  shared ??= new OpenApiContract();
  return shared;
}
