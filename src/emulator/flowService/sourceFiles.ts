import { PEOPLE, city, country, email, firstName, instant, lastName, type TableColumn } from './sourceTables.ts';

/**
 * What the cloud storage sources of the emulator hold: one deterministic file tree with
 * delimited (comma, semicolon, tab), JSON and Parquet files and a gzip-compressed CSV.
 * Delimited files are stored as text, so a preview with the wrong `columnDelimiter` reads
 * one column, as the real service would.
 */

export type FileContent =
  | { fileType: 'delimited'; text: string; compression?: 'gzip' }
  | { fileType: 'json'; records: Array<Record<string, unknown>> }
  | { fileType: 'parquet'; columns: TableColumn[]; rowCount: number };

export interface SourceFile {
  kind: 'file';
  name: string;
  modified: number;
  content: FileContent;
}

export interface SourceFolder {
  kind: 'folder';
  name: string;
  modified: number;
  children: SourceNode[];
}

export type SourceNode = SourceFile | SourceFolder;

const rows = (count: number) => Array.from({ length: count }, (_, i) => i);
const modified = (day: number) => Date.UTC(2026, 10, day, 6, 30);

function delimited(header: string[], line: (i: number) => Array<string | number | boolean>, delimiter = ','): string {
  const body = rows(PEOPLE.length).map((i) => line(i).join(delimiter));
  return [header.join(delimiter), ...body].join('\n') + '\n';
}

const signups = (offset: number) =>
  delimited(['id', 'first_name', 'last_name', 'email', 'signup_date', 'newsletter'], (i) => [
    `S-${offset * 100 + i + 1}`,
    firstName(i + offset),
    lastName(i + offset),
    email(i + offset),
    instant(i, offset),
    i % 3 !== 0,
  ]);

/** The Azure File Storage tutorial's file (`/exports/loyalty.csv`): loyalty members. */
const loyalty = (offset: number) =>
  delimited(['memberId', 'firstName', 'lastName', 'email', 'tier', 'points', 'lastModified'], (i) => [
    `L${String(70_000 + offset * 100 + i).padStart(6, '0')}`,
    firstName(i + offset),
    lastName(i + offset),
    email(i + offset),
    ['Bronze', 'Silver', 'Gold', 'Platinum'][(i + offset) % 4]!,
    1200 + i * 315,
    instant(i, offset),
  ]);

const euCustomers = delimited(
  ['customer_id', 'given_name', 'family_name', 'email_address', 'city', 'country'],
  (i) => [`EU-${i + 1}`, firstName(i), lastName(i), email(i), city(i), country(i)],
  ';',
);

const webOrders = delimited(['order_id', 'customer_email', 'order_date', 'amount', 'currency'], (i) => [
  90_001 + i,
  email(i),
  instant(i),
  Math.round((24.5 + i * 9.75) * 100) / 100,
  'EUR',
]);

const callLog = delimited(
  ['call_id', 'phone', 'started_at', 'duration_seconds'],
  (i) => [`CALL-${i + 1}`, `+33 1 70 00 00 ${String(i).padStart(2, '0')}`, instant(i), 60 + i * 17],
  '\t',
);

const profiles = rows(PEOPLE.length).map((i) => ({
  _id: `P-${i + 1}`,
  person: {
    name: { firstName: firstName(i), lastName: lastName(i) },
    birthDate: `19${70 + i}-0${1 + (i % 9)}-1${i % 10}`,
  },
  personalEmail: { address: email(i) },
  homeAddress: { city: city(i), country: country(i) },
}));

const pageViewColumns: TableColumn[] = [
  { name: 'event_id', type: 'string', value: (i) => `E-${i + 1}` },
  { name: 'email', type: 'string', value: email },
  { name: 'page_url', type: 'string', value: (i) => `https://www.example.com/products/${i + 1}` },
  { name: 'timestamp', type: 'date-time', value: (i) => instant(i) },
  { name: 'duration_ms', type: 'integer', value: (i) => 800 + i * 250 },
];

const file = (name: string, day: number, content: FileContent): SourceFile => ({
  kind: 'file',
  name,
  modified: modified(day),
  content,
});
const folder = (name: string, day: number, children: SourceNode[]): SourceFolder => ({
  kind: 'folder',
  name,
  modified: modified(day),
  children,
});

/** The root of every cloud storage source. */
export const FILE_TREE: SourceFolder = folder('', 1, [
  folder('acme', 1, [
    folder('signups', 2, [
      file('signups-2026-11-01.csv', 1, { fileType: 'delimited', text: signups(0) }),
      file('signups-2026-11-02.csv', 2, { fileType: 'delimited', text: signups(1) }),
    ]),
    file('profiles.json', 3, { fileType: 'json', records: profiles }),
    file('pageviews.parquet', 4, { fileType: 'parquet', columns: pageViewColumns, rowCount: PEOPLE.length }),
  ]),
  folder('exports', 5, [
    file('loyalty.csv', 5, { fileType: 'delimited', text: loyalty(0) }),
    file('customers-eu.csv', 5, { fileType: 'delimited', text: euCustomers }),
    file('calls.tsv', 6, { fileType: 'delimited', text: callLog }),
    file('orders-2026-11.csv.gz', 6, { fileType: 'delimited', text: webOrders, compression: 'gzip' }),
    folder('archive', 4, [file('loyalty-2026-10.csv', 1, { fileType: 'delimited', text: loyalty(1) })]),
  ]),
]);

/** `/a/b/` and `a/b` name the same node; `''` and `/` are the root. */
export function pathSegments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

export function findNode(path: string): SourceNode | undefined {
  let node: SourceNode = FILE_TREE;
  for (const segment of pathSegments(path)) {
    if (node.kind !== 'folder') return undefined;
    const next: SourceNode | undefined = node.children.find((c) => c.name === segment);
    if (next === undefined) return undefined;
    node = next;
  }
  return node;
}

/** Bytes of a file as stored (delimited text, JSON lines, or an estimate of Parquet's columnar size). */
export function fileSize(f: SourceFile): number {
  const c = f.content;
  if (c.fileType === 'delimited') return Math.ceil(Buffer.byteLength(c.text) / (c.compression === 'gzip' ? 3 : 1));
  if (c.fileType === 'json') return c.records.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)) + 1, 0);
  return 512 + c.columns.length * c.rowCount * 24;
}
