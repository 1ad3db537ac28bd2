import { describe, expect, it } from 'vitest';
import { routeTemplate } from '../../src/upstream/routeTemplate.ts';

describe('routeTemplate', () => {
  it('keeps the fixed words of a route and puts {id} for every other segment', () => {
    expect(routeTemplate('/data/foundation/flowservice/flows/0f6e6a4b-54b7-4f43-bb1d-3d2c4d6b8a10/action')).toBe(
      '/data/foundation/flowservice/flows/{id}/action',
    );
    expect(routeTemplate('/data/foundation/catalog/dataSets/5f9b1c2d3e4f5a6b7c8d9e0f,5f9b1c2d3e4f5a6b7c8d9e10')).toBe(
      '/data/foundation/catalog/dataSets/{id}',
    );
    expect(
      routeTemplate('/data/foundation/schemaregistry/tenant/schemas/https%3A%2F%2Fns.adobe.com%2Facme%2Fschemas%2Fab'),
    ).toBe('/data/foundation/schemaregistry/tenant/schemas/{id}');
    expect(routeTemplate('/collection/batch/3f1c0c0e9e1a4b7c')).toBe('/collection/batch/{id}');
    expect(routeTemplate('/ims/token/v3')).toBe('/ims/token/v3');
  });

  it('drops the query and never keeps a segment it does not know, whatever its shape', () => {
    expect(routeTemplate('/data/foundation/flowservice/flows?property=id==a,b')).toBe(
      '/data/foundation/flowservice/flows',
    );
    expect(routeTemplate('/data/foundation/flowservice/secretlookingword')).toBe('/data/foundation/flowservice/{id}');
    expect(routeTemplate('/')).toBe('/');
  });
});
