/**
 * The abusive queries of the issue on limits (each a few hundred bytes to a few dozen kB),
 * for the tests that reject them and the benchmark that streams them at the API.
 */

/** `levels` copies of `open` (which opens selection sets) around `inner`, each closed again. */
export const nest = (levels: number, open: string, inner: string) =>
  `${open.repeat(levels)}${inner}${'}'.repeat(levels * (open.split('{').length - 1))}`;

export const ABUSIVE = {
  specPingPong: `{ connectionSpecs { nodes { ${nest(4, 'flowSpecs { sourceConnectionSpecs { ', 'id name')} } } }`,
  flowChain: `{ flows(first: 1) { nodes { ${nest(10, 'sourceConnections { baseConnection { flows { nodes { ', 'id')} } } }`,
  fragmentBomb: `{ flows { nodes { ...F0 } } }\n${Array.from({ length: 24 }, (_x, i) => `fragment F${i} on Flow { id ...F${i + 1} ...F${i + 1} }`).join('\n')}\nfragment F24 on Flow { name }`,
  aliases: `{ ${Array.from({ length: 1000 }, (_x, i) => `a${i}: flows(first: 100) { nodes { id } }`).join(' ')} }`,
  nestedPages: `{ baseConnections(first: 100) { nodes { flows(first: 100) { nodes { runs(first: 100) { nodes { flow { runs(first: 100) { nodes { id } } } } } } } } } }`,
  directives: `{ flows { ${Array.from({ length: 30 }, () => 'totalCount @include(if: true)').join(' ')} } }`,
};

/** The code the default limits reject each of them with. */
export const ABUSIVE_CODES: Record<keyof typeof ABUSIVE, string> = {
  specPingPong: 'QUERY_TOO_COMPLEX',
  flowChain: 'QUERY_TOO_DEEP',
  fragmentBomb: 'QUERY_TOO_COMPLEX',
  aliases: 'TOO_MANY_TOKENS',
  nestedPages: 'QUERY_TOO_COMPLEX',
  directives: 'TOO_MANY_DIRECTIVES',
};
