/**
 * What the table sources of the emulator hold (CRM, customer success, protocols, databases,
 * marketing automation, advertising): tables with typed columns and deterministic rows. The
 * Generic OData feed is the protocols tutorial's Northwind (`Orders` with `OrderID`,
 * `CustomerID`, `OrderDate`, `ShippedDate`, `help/sources/tutorials/api/explore/protocols.md`).
 */

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date-time';

export interface TableColumn {
  name: string;
  type: ColumnType;
  /** The value of row `i` (0-based). */
  value: (i: number) => string | number | boolean;
}

export interface SourceTable {
  name: string;
  columns: TableColumn[];
  rowCount: number;
}

/** Twelve people every source draws its rows from, so a wizard's preview looks like real data. */
export const PEOPLE = [
  ['Ava', 'Martin', 'Lyon', 'FR'],
  ['Noah', 'Schmidt', 'Berlin', 'DE'],
  ['Mia', 'Rossi', 'Milan', 'IT'],
  ['Liam', 'Smith', 'Leeds', 'GB'],
  ['Emma', 'Garcia', 'Seville', 'ES'],
  ['Lucas', 'Jansen', 'Utrecht', 'NL'],
  ['Olivia', 'Brown', 'Austin', 'US'],
  ['Hugo', 'Lefebvre', 'Lille', 'FR'],
  ['Sofia', 'Novak', 'Brno', 'CZ'],
  ['Elias', 'Berg', 'Bergen', 'NO'],
  ['Chloe', 'Tremblay', 'Quebec', 'CA'],
  ['Mateo', 'Silva', 'Porto', 'PT'],
] as const;

const person = (i: number) => PEOPLE[i % PEOPLE.length]!;
export const firstName = (i: number) => person(i)[0];
export const lastName = (i: number) => person(i)[1];
export const city = (i: number) => person(i)[2];
export const country = (i: number) => person(i)[3];
export const email = (i: number) => `${firstName(i)}.${lastName(i)}@example.com`.toLowerCase();
/** A fixed instant per row: 2026-11-01T08:00Z plus i days and i hours. */
export const instant = (i: number, offsetDays = 0) =>
  new Date(Date.UTC(2026, 10, 1 + i + offsetDays, 8 + (i % 10), (i * 7) % 60)).toISOString().replace('.000', '');

const col = (name: string, type: ColumnType, value: TableColumn['value']): TableColumn => ({ name, type, value });
const table = (name: string, columns: TableColumn[], rowCount: number = PEOPLE.length): SourceTable => ({
  name,
  columns,
  rowCount,
});
const sfId = (prefix: string) => (i: number) => `${prefix}${String(8_000_000 + i * 7919).padStart(15, '0')}`;

const NORTHWIND: SourceTable[] = [
  table(
    'Categories',
    [
      col('CategoryID', 'integer', (i) => i + 1),
      col('CategoryName', 'string', (i) => ['Beverages', 'Condiments', 'Confections', 'Dairy Products'][i % 4]!),
      col(
        'Description',
        'string',
        (i) => ['Soft drinks, coffees, teas', 'Sauces and spreads', 'Desserts', 'Cheeses'][i % 4]!,
      ),
    ],
    4,
  ),
  table('CustomerDemographics', [
    col('CustomerTypeID', 'string', (i) => `T${i + 1}`),
    col('CustomerDesc', 'string', (i) => ['Retail', 'Wholesale', 'Online'][i % 3]!),
  ]),
  table('Customers', [
    col('CustomerID', 'string', (i) => `${lastName(i).slice(0, 4).toUpperCase()}${i}`),
    col('CompanyName', 'string', (i) => `${lastName(i)} Trading`),
    col('ContactName', 'string', (i) => `${firstName(i)} ${lastName(i)}`),
    col('Email', 'string', email),
    col('City', 'string', city),
    col('Country', 'string', country),
    col('LastModified', 'date-time', (i) => instant(i)),
  ]),
  table('Orders', [
    col('OrderID', 'integer', (i) => 10248 + i),
    col('CustomerID', 'string', (i) => `${lastName(i).slice(0, 4).toUpperCase()}${i}`),
    col('EmployeeID', 'integer', (i) => 1 + (i % 9)),
    col('OrderDate', 'date-time', (i) => instant(i)),
    col('ShippedDate', 'date-time', (i) => instant(i, 3)),
    col('ShipCity', 'string', city),
    col('Freight', 'number', (i) => Math.round((12.5 + i * 7.35) * 100) / 100),
  ]),
];

const sfContact = table('Contact', [
  col('Id', 'string', sfId('003')),
  col('FirstName', 'string', firstName),
  col('LastName', 'string', lastName),
  col('Email', 'string', email),
  col('Phone', 'string', (i) => `+1 555 01${String(i).padStart(2, '0')}`),
  col('MailingCity', 'string', city),
  col('LastModifiedDate', 'date-time', (i) => instant(i)),
]);

const SERVICE_CLOUD: SourceTable[] = [
  table('Case', [
    col('Id', 'string', sfId('500')),
    col('CaseNumber', 'string', (i) => String(1027 + i).padStart(8, '0')),
    col('Subject', 'string', (i) => ['Cannot log in', 'Invoice question', 'Delivery delayed', 'Upgrade plan'][i % 4]!),
    col('Status', 'string', (i) => ['New', 'Working', 'Escalated', 'Closed'][i % 4]!),
    col('Priority', 'string', (i) => ['Low', 'Medium', 'High'][i % 3]!),
    col('ContactEmail', 'string', email),
    col('IsEscalated', 'boolean', (i) => i % 4 === 2),
    col('CreatedDate', 'date-time', (i) => instant(i)),
    col('LastModifiedDate', 'date-time', (i) => instant(i, 1)),
  ]),
  sfContact,
];

const SALESFORCE: SourceTable[] = [
  table('Account', [
    col('Id', 'string', sfId('001')),
    col('Name', 'string', (i) => `${lastName(i)} Industries`),
    col('Industry', 'string', (i) => ['Retail', 'Banking', 'Media', 'Energy'][i % 4]!),
    col('BillingCity', 'string', city),
    col('AnnualRevenue', 'number', (i) => 250_000 + i * 125_000),
    col('LastModifiedDate', 'date-time', (i) => instant(i)),
  ]),
  sfContact,
  table('Lead', [
    col('Id', 'string', sfId('00Q')),
    col('FirstName', 'string', firstName),
    col('LastName', 'string', lastName),
    col('Email', 'string', email),
    col('Company', 'string', (i) => `${lastName(i)} GmbH`),
    col('Status', 'string', (i) => ['Open', 'Contacted', 'Qualified'][i % 3]!),
    col('LastModifiedDate', 'date-time', (i) => instant(i)),
  ]),
];

const DYNAMICS: SourceTable[] = [
  table('contact', [
    col(
      'contactid',
      'string',
      (i) => `6f1c${String(i).padStart(4, '0')}-0d6b-4a8e-9c1e-2b7d5f3a${String(i).padStart(4, '0')}`,
    ),
    col('firstname', 'string', firstName),
    col('lastname', 'string', lastName),
    col('emailaddress1', 'string', email),
    col('address1_city', 'string', city),
    col('modifiedon', 'date-time', (i) => instant(i)),
  ]),
  table('account', [
    col(
      'accountid',
      'string',
      (i) => `a3b9${String(i).padStart(4, '0')}-5c2d-4f1e-8a7b-9d0e1f2a${String(i).padStart(4, '0')}`,
    ),
    col('name', 'string', (i) => `${lastName(i)} Holdings`),
    col('address1_city', 'string', city),
    col('modifiedon', 'date-time', (i) => instant(i)),
  ]),
];

const SERVICE_NOW: SourceTable[] = [
  table('incident', [
    col('sys_id', 'string', (i) => `9d385017c611228701d22104cc95c3${String(i).padStart(2, '0')}`),
    col('number', 'string', (i) => `INC${String(10_010 + i).padStart(7, '0')}`),
    col('short_description', 'string', (i) => ['Email not syncing', 'VPN drops', 'Laptop slow'][i % 3]!),
    col('state', 'integer', (i) => 1 + (i % 7)),
    col('caller_email', 'string', email),
    col('sys_updated_on', 'date-time', (i) => instant(i)),
  ]),
];

/** Every other table source: a customer table and an order table. */
const GENERIC: SourceTable[] = [
  table('customers', [
    col('customer_id', 'string', (i) => `C-${1001 + i}`),
    col('first_name', 'string', firstName),
    col('last_name', 'string', lastName),
    col('email', 'string', email),
    col('city', 'string', city),
    col('country', 'string', country),
    col('updated_at', 'date-time', (i) => instant(i)),
  ]),
  table('orders', [
    col('order_id', 'integer', (i) => 50_001 + i),
    col('customer_id', 'string', (i) => `C-${1001 + i}`),
    col('order_date', 'date-time', (i) => instant(i)),
    col('total', 'number', (i) => Math.round((19.99 + i * 13.5) * 100) / 100),
    col('paid', 'boolean', (i) => i % 5 !== 4),
    col('updated_at', 'date-time', (i) => instant(i, 1)),
  ]),
];

const TABLES_BY_SPEC: Readonly<Record<string, SourceTable[]>> = {
  '8e6b41a8-d998-4545-ad7d-c6a9fff406c3': NORTHWIND,
  'cb66ab34-8619-49cb-96d1-39b37ede86ea': SERVICE_CLOUD,
  'cfc0fee1-7dc0-40ef-b73e-d8b134c436f5': SALESFORCE,
  '38ad80fe-8b06-4938-94f4-d4ee80266b07': DYNAMICS,
  'eb13cb25-47ab-407f-ba89-c0125281c563': SERVICE_NOW,
};

/** The tables of a table source, by its connection spec id. */
export function tablesOf(connectionSpecId: string): SourceTable[] {
  return TABLES_BY_SPEC[connectionSpecId] ?? GENERIC;
}
