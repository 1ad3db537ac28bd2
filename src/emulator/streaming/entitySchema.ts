import type { XdmResourceDto } from '../../upstream/schemaRegistry/types.ts';
import { findXdmResource, resolveSchema } from '../schemaRegistry/resolve.ts';
import type { Partition } from '../store.ts';
import type { EntitySchema } from './xdmValidation.ts';

/**
 * Top-level required keys of a schema: the resolved (`xed-full`) form drops the
 * `required` lists kept in the class definitions (ExperienceEvent requires `_id` and
 * `timestamp`), so they are gathered from the raw `allOf` chain.
 */
function requiredKeys(part: Partition, resource: XdmResourceDto, seen: Set<string>): string[] {
  seen.add(resource.$id);
  const keys: string[] = Array.isArray(resource['required']) ? (resource['required'] as string[]) : [];
  for (const entry of resource.allOf ?? []) {
    const ref = entry.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/definitions/')) {
      const required = resource.definitions?.[ref.slice('#/definitions/'.length)]?.['required'];
      if (Array.isArray(required)) keys.push(...(required as string[]));
    } else if (typeof ref === 'string' && !seen.has(ref)) {
      const target = findXdmResource(part, ref);
      if (target !== undefined) keys.push(...requiredKeys(part, target, seen));
    }
  }
  return keys;
}

/** The tree an `xdmEntity` is validated against, or undefined when the schema is gone. */
export function entitySchemaOf(part: Partition, schemaId: string): EntitySchema | undefined {
  const raw = findXdmResource(part, schemaId);
  const resolved = resolveSchema(part, schemaId);
  if (raw === undefined || resolved === undefined) return undefined;
  return { properties: resolved.properties ?? {}, required: [...new Set(requiredKeys(part, raw, new Set()))] };
}
