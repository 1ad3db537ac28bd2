import { describe, expect, it } from 'vitest';
import { isIdColumn, nameWords, suggestMappingsFor } from '../../src/orchestration/mappingSuggestions.ts';

const leaves = [
  { path: '_id', type: 'string', format: null },
  { path: 'person.name.firstName', type: 'string', format: null },
  { path: 'person.name.lastName', type: 'string', format: null },
  { path: 'personalEmail.address', type: 'string', format: 'email' },
  { path: 'workEmail.address', type: 'string', format: 'email' },
  { path: 'homeAddress.city', type: 'string', format: null },
  { path: 'loyalty.points', type: 'integer', format: null },
];

describe('suggested mappings', () => {
  it('splits names into words however they are written', () => {
    expect(nameWords('CustomerID')).toEqual(['customer', 'id']);
    expect(nameWords('first_name')).toEqual(['first', 'name']);
    expect(nameWords('emailaddress1')).toEqual(['emailaddress']);
    expect(nameWords('homeAddress.city')).toEqual(['home', 'address', 'city']);
    expect([isIdColumn('sys_id'), isIdColumn('contactid'), isIdColumn('paid'), isIdColumn('Idea')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('gives each field to one column only, the closer match first, and says why the other got none', () => {
    const out = suggestMappingsFor(
      [
        { name: 'Email', type: 'string' },
        { name: 'contact_email', type: 'string' },
        { name: 'work email', type: 'string' },
        { name: 'mail', type: 'string' },
      ],
      leaves,
    );
    expect(out.map((s) => [s.sourceAttribute, s.destinationXdmPath, s.confidence])).toEqual([
      ['Email', 'personalEmail.address', 0.95],
      ['contact_email', 'workEmail.address', 0.9],
      ['work email', null, 0],
      ['mail', null, 0],
    ]);
    expect(out[2]!.reason).toBe('its best match workEmail.address is taken by contact_email, a closer match');
  });

  it('halves the confidence of a column whose type does not fit, and explains it', () => {
    const [points] = suggestMappingsFor([{ name: 'points', type: 'string' }], leaves);
    expect(points).toEqual({
      sourceAttribute: 'points',
      destinationXdmPath: 'loyalty.points',
      confidence: 0.45,
      reason: 'same name as the schema field loyalty.points, though a string column does not fit its type integer',
    });
    const [asInt] = suggestMappingsFor([{ name: 'points', type: 'integer' }], leaves);
    expect(asInt!.confidence).toBe(0.9);
  });

  it('answers the same for the same input, whatever the order of the schema fields', () => {
    const columns = [
      { name: 'MemberID', type: 'string' },
      { name: 'given_name', type: 'string' },
      { name: 'City', type: 'string' },
    ];
    const a = suggestMappingsFor(columns, leaves);
    const b = suggestMappingsFor(columns, [...leaves].reverse());
    expect(a).toEqual(b);
    expect(a.map((s) => s.destinationXdmPath)).toEqual(['_id', 'person.name.firstName', 'homeAddress.city']);
  });
});
