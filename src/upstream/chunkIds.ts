/** Distinct ids (first occurrence order) cut into chunks of at most `size` for multi-get requests. */
export function chunkIds(ids: readonly string[], size: number): string[][] {
  const unique = [...new Set(ids)];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += size) chunks.push(unique.slice(i, i + size));
  return chunks;
}
