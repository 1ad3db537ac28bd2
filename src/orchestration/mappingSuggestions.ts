/**
 * Suggested mappings of source columns onto XDM field paths: pure and deterministic (the
 * same columns and fields always give the same answer, ties broken by column order, then
 * path). Each column gets at most one field and each field at most one column, best score
 * first. Scores: same path 1.0, a known alias 0.95, same field name 0.9, an identifier
 * column to `_id` 0.85–0.9, shared name words 0.6–0.8 (below 0.5: no candidate); a type that
 * does not fit halves the score.
 */

export interface SourceColumn {
  name: string;
  type: string;
}

export interface SchemaLeaf {
  path: string;
  type: string | null;
  format: string | null;
}

export interface Suggestion {
  sourceAttribute: string;
  destinationXdmPath: string | null;
  confidence: number;
  reason: string;
}

/** Words of a name: `CustomerID` → customer id, `first_name` → first name, `emailaddress1` → emailaddress. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

const key = (name: string) => nameWords(name).join('');

/** Common column names and the XDM paths they mean, in order of preference. */
const ALIASES: Array<[string[], string[]]> = [
  [
    ['email', 'emailaddress', 'mail', 'contactemail', 'customeremail', 'personalemail'],
    ['personalEmail.address', 'workEmail.address'],
  ],
  [['firstname', 'givenname', 'fname', 'forename'], ['person.name.firstName']],
  [['lastname', 'surname', 'familyname', 'lname'], ['person.name.lastName']],
  [['fullname', 'name', 'contactname', 'customername', 'displayname'], ['person.name.fullName']],
  [
    ['phone', 'phonenumber', 'mobile', 'mobilephone', 'cellphone', 'telephone'],
    ['mobilePhone.number', 'homePhone.number'],
  ],
  [['birthdate', 'dob', 'dateofbirth', 'birthday'], ['person.birthDate']],
  [['gender', 'sex'], ['person.gender']],
  [
    ['city', 'town', 'mailingcity'],
    ['homeAddress.city', 'workAddress.city'],
  ],
  [
    ['country', 'countrycode'],
    ['homeAddress.country', 'homeAddress.countryCode'],
  ],
  [['postalcode', 'zip', 'zipcode', 'postcode'], ['homeAddress.postalCode']],
  [['street', 'streetaddress', 'address'], ['homeAddress.street1']],
  [['timestamp', 'eventtime', 'eventtimestamp', 'occurredat'], ['timestamp']],
];

const ALIAS_BY_KEY = new Map(ALIASES.flatMap(([keys, paths]) => keys.map((k) => [k, paths] as const)));

/** Entity words that make `<word>id` an identifier column when it is written as one word. */
const ID_ENTITIES = ['customer', 'contact', 'account', 'member', 'user', 'person', 'profile', 'lead', 'client', 'sys'];

export function isIdColumn(name: string): boolean {
  const words = nameWords(name);
  const joined = words.join('');
  if (joined === 'id' || words.at(-1) === 'id') return true;
  return ID_ENTITIES.some((e) => joined === `${e}id`);
}

/** Whether a column of `type` can land in a field; strings take anything. */
function fits(columnType: string, leaf: SchemaLeaf): boolean {
  const t = columnType.toLowerCase();
  switch (leaf.type) {
    case 'integer':
      return t === 'integer' || t === 'int' || t === 'long';
    case 'number':
      return ['integer', 'int', 'long', 'number', 'double', 'float', 'decimal'].includes(t);
    case 'boolean':
      return t === 'boolean';
    default:
      return true;
  }
}

interface Candidate {
  column: number;
  path: string;
  score: number;
  reason: string;
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  const shared = [...sa].filter((w) => sb.has(w)).length;
  return shared === 0 ? 0 : shared / new Set([...sa, ...sb]).size;
}

function candidatesOf(column: SourceColumn, index: number, leaves: readonly SchemaLeaf[]): Candidate[] {
  const out: Candidate[] = [];
  const colKey = key(column.name);
  const words = nameWords(column.name);
  const aliases = ALIAS_BY_KEY.get(colKey) ?? [];
  for (const leaf of leaves) {
    const segments = leaf.path.split('.');
    const leafName = segments.at(-1)!;
    let score = 0;
    let reason = '';
    const aliasRank = aliases.indexOf(leaf.path);
    if (leaf.path.toLowerCase() === column.name.toLowerCase()) {
      [score, reason] = [1, `same path as the schema field ${leaf.path}`];
    } else if (aliasRank >= 0) {
      [score, reason] = [0.95 - aliasRank * 0.05, `"${column.name}" is a common name for ${leaf.path}`];
    } else if (key(leafName) === colKey) {
      [score, reason] = [0.9, `same name as the schema field ${leaf.path}`];
    } else {
      const overlap = jaccard(words, segments.slice(-2).flatMap(nameWords));
      if (overlap >= 0.5) [score, reason] = [0.4 + 0.4 * overlap, `shares the words of ${leaf.path}`];
    }
    // names decide whether a field is a candidate; a type that does not fit only lowers the confidence
    if (score < 0.5) continue;
    if (!fits(column.type, leaf)) {
      score /= 2;
      reason += `, though a ${column.type} column does not fit its type ${leaf.type ?? 'unknown'}`;
    }
    out.push({ column: index, path: leaf.path, score: Math.round(score * 100) / 100, reason });
  }
  return out;
}

/** `_id`, the record's identity: the column named `id`, else the first identifier column. */
function identityCandidate(columns: readonly SourceColumn[], leaves: readonly SchemaLeaf[]): Candidate | undefined {
  if (!leaves.some((l) => l.path === '_id')) return undefined;
  const exact = columns.findIndex((c) => key(c.name) === 'id');
  const index = exact >= 0 ? exact : columns.findIndex((c) => isIdColumn(c.name));
  if (index < 0) return undefined;
  return {
    column: index,
    path: '_id',
    score: exact >= 0 ? 0.9 : 0.85,
    reason: `${columns[index]!.name} identifies the record: it maps to _id, the record's identity`,
  };
}

const byRank = (a: Candidate, b: Candidate) =>
  b.score - a.score || a.column - b.column || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export function suggestMappingsFor(columns: readonly SourceColumn[], leaves: readonly SchemaLeaf[]): Suggestion[] {
  const chosen = new Map<number, Candidate>();
  const taken = new Map<string, number>();
  const take = (c: Candidate) => {
    if (chosen.has(c.column) || taken.has(c.path)) return;
    chosen.set(c.column, c);
    taken.set(c.path, c.column);
  };
  const identity = identityCandidate(columns, leaves);
  if (identity !== undefined) take(identity);
  const all = columns.flatMap((c, i) => candidatesOf(c, i, leaves)).sort(byRank);
  all.forEach(take);
  return columns.map((column, i) => {
    const c = chosen.get(i);
    if (c !== undefined)
      return { sourceAttribute: column.name, destinationXdmPath: c.path, confidence: c.score, reason: c.reason };
    const best = all.find((x) => x.column === i);
    return {
      sourceAttribute: column.name,
      destinationXdmPath: null,
      confidence: 0,
      reason:
        best === undefined
          ? `no field of the schema resembles "${column.name}"`
          : `its best match ${best.path} is taken by ${columns[taken.get(best.path)!]!.name}, a closer match`,
    };
  });
}
