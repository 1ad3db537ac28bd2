/**
 * The JSON of stored objects, as UTF-8 bytes, written once per stored version: a list page of a
 * large collection is then mostly bytes copied into one buffer instead of every object
 * serialised, joined and encoded again. Kept in a WeakMap by the object itself; the store
 * forgets an object's bytes whenever it is set or deleted (an object edited in place is set
 * again, see TrackedMap), so they are never older than the object.
 */
const stored = new WeakMap<object, Buffer>();

/** `JSON.stringify(value)` as UTF-8, from the last time it was asked for this version of `value`. */
export function storedJson(value: object): Buffer {
  let bytes = stored.get(value);
  if (bytes === undefined) {
    const text = JSON.stringify(value);
    // a buffer of its own: a slice of node's shared pool would keep the whole pool alive after an edit
    bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
    bytes.write(text, 'utf8');
    stored.set(value, bytes);
  }
  return bytes;
}

/** Drops the bytes of `value` (an object set or deleted in the store). */
export function forgetStoredJson(value: unknown): void {
  if (typeof value === 'object' && value !== null) stored.delete(value);
}
