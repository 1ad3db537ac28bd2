/** True for an input field the caller gave: GraphQL sends an omitted field as undefined or null. */
export const given = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;
