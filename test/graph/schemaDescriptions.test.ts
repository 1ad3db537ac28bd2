import { readFileSync } from 'node:fs';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';

type MemberKind = 'type' | 'field' | 'argument' | 'inputField' | 'enumValue';

interface Member {
  kind: MemberKind;
  /** The schema coordinate: `Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`. */
  coordinate: string;
  description: string | null | undefined;
}

/** Every type, field, argument, input field and enum value the schema itself declares (built-ins left out). */
function members(schema: GraphQLSchema): Member[] {
  const out: Member[] = [];
  const named = Object.values(schema.getTypeMap()).filter(
    (t: GraphQLNamedType) => !isIntrospectionType(t) && !isSpecifiedScalarType(t),
  );
  for (const type of named) {
    out.push({ kind: 'type', coordinate: type.name, description: type.description });
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        out.push({ kind: 'field', coordinate: `${type.name}.${field.name}`, description: field.description });
        for (const arg of field.args)
          out.push({
            kind: 'argument',
            coordinate: `${type.name}.${field.name}(${arg.name}:)`,
            description: arg.description,
          });
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        out.push({ kind: 'inputField', coordinate: `${type.name}.${field.name}`, description: field.description });
    } else if (isEnumType(type)) {
      for (const value of type.getValues())
        out.push({ kind: 'enumValue', coordinate: `${type.name}.${value.name}`, description: value.description });
    }
  }
  return out;
}

const documented = (m: Member): boolean => (m.description ?? '').trim() !== '';

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const all = members(schema);

describe('the schema documentation', () => {
  it('describes every type, field, argument, input field and enum value', () => {
    const kinds: MemberKind[] = ['type', 'field', 'argument', 'inputField', 'enumValue'];
    const tally = kinds.map((kind) => {
      const ofKind = all.filter((m) => m.kind === kind);
      return `${ofKind.filter((m) => !documented(m)).length} of ${ofKind.length} ${kind}s`;
    });
    const missing = all.filter((m) => !documented(m)).map((m) => m.coordinate);
    expect(missing, `${missing.length} of ${all.length} schema members are undocumented (${tally.join(', ')})`).toEqual(
      [],
    );
  });

  it('counts members of every kind, so an empty walk cannot pass', () => {
    for (const kind of ['type', 'field', 'argument', 'inputField', 'enumValue'] as const)
      expect(all.filter((m) => m.kind === kind).length, kind).toBeGreaterThan(0);
  });
});
