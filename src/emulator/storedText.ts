/**
 * The JSON text of stored objects, written once per stored version: a list page of a large
 * collection is then mostly joined text instead of every object serialised again. Kept in a
 * WeakMap by the object itself; the store forgets an object's text whenever it is set or
 * deleted (an object edited in place is set again, see TrackedMap), so a text is never
 * older than the object.
 */
const texts = new WeakMap<object, string>();

/** `JSON.stringify(value)`, from the last time it was asked for this version of `value`. */
export function storedText(value: object): string {
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    texts.set(value, text);
  }
  return text;
}

/** Drops the text of `value` (an object set or deleted in the store). */
export function forgetText(value: unknown): void {
  if (typeof value === 'object' && value !== null) texts.delete(value);
}
