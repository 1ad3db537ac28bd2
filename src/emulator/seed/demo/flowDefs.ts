import type { ScheduleFrequency } from '../../../upstream/flowService/types.ts';
import type { DemoConnectionKey } from './connections.ts';
import type { DemoDataSetKey } from './dataSets.ts';

export interface DemoFlowDef {
  name: string;
  conn: DemoConnectionKey;
  dataSet: DemoDataSetKey;
  /** File path (file sources) or table name (table sources); unused for streaming. */
  source?: string;
  format?: 'delimited' | 'json' | 'parquet';
  schedule?: { frequency: ScheduleFrequency; interval?: number };
  disabled?: true;
  /** Carries the `[emulator:fail]` marker: every run fails. */
  failing?: true;
  /** Starts tomorrow: no run yet. */
  future?: true;
  /** A `once` flow with an on-demand run requested at seeding time. */
  onDemandNow?: true;
  /** Partial ingestion and error diagnostics enabled. */
  partial?: true;
}

const hourly = { frequency: 'hour', interval: 1 } as const;
const daily = { frequency: 'day', interval: 1 } as const;
const every = (frequency: ScheduleFrequency, interval: number) => ({ frequency, interval });
const once = { frequency: 'once' } as const;

/** The 36 demo dataflows: 16 file, 16 table, 4 streaming. */
export const DEMO_FLOWS: readonly DemoFlowDef[] = [
  {
    name: 'S3 daily customer export → Profile',
    conn: 's3',
    dataSet: 'customers',
    source: '/acme-exports/crm/customers/',
    format: 'delimited',
    schedule: daily,
  },
  {
    name: 'S3 loyalty points → Loyalty members',
    conn: 's3',
    dataSet: 'loyalty',
    source: '/acme-exports/loyalty/points.csv',
    format: 'delimited',
    schedule: hourly,
    partial: true,
  },
  {
    name: 'S3 clickstream → Web events',
    conn: 's3',
    dataSet: 'webEvents',
    source: '/acme-exports/clickstream/',
    format: 'parquet',
    schedule: hourly,
  },
  {
    name: 'S3 order history → Commerce orders',
    conn: 's3',
    dataSet: 'orders',
    source: '/acme-exports/orders/',
    format: 'json',
    schedule: every('minute', 15),
  },
  {
    name: 'S3 partner catalogue → Partner feed',
    conn: 's3',
    dataSet: 'partnerFeed',
    source: '/acme-exports/partners/catalogue.csv',
    format: 'delimited',
    schedule: daily,
    failing: true,
  },
  {
    name: 'S3 legacy CRM dump → Profile',
    conn: 's3',
    dataSet: 'customers',
    source: '/acme-exports/legacy/crm_dump.csv',
    format: 'delimited',
    schedule: daily,
    // disabled after its runs kept failing: the demo always has a disabled flow whose last run failed
    disabled: true,
    failing: true,
  },
  {
    name: 'Blob newsletter subscribers → Email subscribers',
    conn: 'blob',
    dataSet: 'subscribers',
    source: '/exports/newsletter/subscribers.csv',
    format: 'delimited',
    schedule: hourly,
  },
  {
    name: 'Blob campaign responses → Web events',
    conn: 'blob',
    dataSet: 'webEvents',
    source: '/exports/campaigns/',
    format: 'json',
    schedule: hourly,
  },
  {
    name: 'Blob store visits → Store visits',
    conn: 'blob',
    dataSet: 'storeVisits',
    source: '/exports/stores/visits/',
    format: 'parquet',
    schedule: every('hour', 4),
  },
  {
    name: 'Blob B2B contacts → B2B contacts',
    conn: 'blob',
    dataSet: 'contacts',
    source: '/exports/b2b/contacts.csv',
    format: 'delimited',
    schedule: every('week', 1),
  },
  {
    name: 'Azure Files invoices → Commerce orders',
    conn: 'files',
    dataSet: 'orders',
    source: '/finance/invoices/',
    format: 'delimited',
    schedule: daily,
  },
  {
    name: 'Azure Files returns → Commerce orders',
    conn: 'files',
    dataSet: 'orders',
    source: '/finance/returns/returns.csv',
    format: 'delimited',
    schedule: once,
  },
  {
    name: 'SFTP partner leads → B2B contacts',
    conn: 'sftp',
    dataSet: 'contacts',
    source: '/inbound/leads/',
    format: 'delimited',
    schedule: hourly,
    failing: true,
  },
  {
    name: 'SFTP product reviews → Product reviews',
    conn: 'sftp',
    dataSet: 'reviews',
    source: '/inbound/reviews/',
    format: 'json',
    schedule: every('hour', 2),
  },
  {
    name: 'SFTP retail POS files → Store visits',
    conn: 'sftp',
    dataSet: 'storeVisits',
    source: '/inbound/pos/',
    format: 'delimited',
    schedule: hourly,
    future: true,
  },
  {
    name: 'SFTP catalogue sync → Partner feed',
    conn: 'sftp',
    dataSet: 'partnerFeed',
    source: '/inbound/catalogue/full.csv',
    format: 'delimited',
    schedule: once,
    onDemandNow: true,
  },
  {
    name: 'Salesforce accounts → Profile',
    conn: 'salesforce',
    dataSet: 'customers',
    source: 'Account',
    schedule: hourly,
  },
  {
    name: 'Salesforce contacts → Profile',
    conn: 'salesforce',
    dataSet: 'customers',
    source: 'Contact',
    schedule: hourly,
    partial: true,
  },
  {
    name: 'Salesforce leads → B2B contacts',
    conn: 'salesforce',
    dataSet: 'contacts',
    source: 'Lead',
    schedule: every('minute', 15),
  },
  {
    name: 'Salesforce opportunities → Commerce orders',
    conn: 'salesforce',
    dataSet: 'orders',
    source: 'Opportunity',
    schedule: daily,
    disabled: true,
  },
  {
    name: 'Salesforce campaign members → Email subscribers',
    conn: 'salesforce',
    dataSet: 'subscribers',
    source: 'CampaignMember',
    schedule: hourly,
  },
  {
    name: 'Service Cloud cases → Profile',
    conn: 'serviceCloud',
    dataSet: 'customers',
    source: 'Case',
    schedule: hourly,
  },
  {
    name: 'Service Cloud contacts → Profile',
    conn: 'serviceCloud',
    dataSet: 'customers',
    source: 'Contact',
    schedule: every('hour', 6),
  },
  {
    name: 'Service Cloud surveys → Product reviews',
    conn: 'serviceCloud',
    dataSet: 'reviews',
    source: 'SurveyResponse',
    schedule: daily,
    failing: true,
  },
  { name: 'Northwind customers → Profile', conn: 'odata', dataSet: 'customers', source: 'Customers', schedule: daily },
  { name: 'Northwind orders → Commerce orders', conn: 'odata', dataSet: 'orders', source: 'Orders', schedule: hourly },
  {
    name: 'MySQL orders → Commerce orders',
    conn: 'mysql',
    dataSet: 'orders',
    source: 'orders',
    schedule: hourly,
    partial: true,
  },
  { name: 'MySQL customers → Profile', conn: 'mysql', dataSet: 'customers', source: 'customers', schedule: hourly },
  {
    name: 'MySQL loyalty ledger → Loyalty members',
    conn: 'mysql',
    dataSet: 'loyalty',
    source: 'loyalty_ledger',
    schedule: every('minute', 30),
    disabled: true,
  },
  {
    name: 'BigQuery sessions → Web events',
    conn: 'bigquery',
    dataSet: 'webEvents',
    source: 'analytics.sessions',
    schedule: hourly,
  },
  {
    name: 'BigQuery app events → Mobile app events',
    conn: 'bigquery',
    dataSet: 'appEvents',
    source: 'analytics.app_events',
    schedule: hourly,
  },
  {
    name: 'BigQuery churn scores → Profile',
    conn: 'bigquery',
    dataSet: 'customers',
    source: 'ml.churn_scores',
    schedule: daily,
  },
  { name: 'Web SDK events → Web events', conn: 'webSdk', dataSet: 'webEvents' },
  { name: 'Mobile SDK events → Mobile app events', conn: 'mobileSdk', dataSet: 'appEvents' },
  { name: 'POS transactions (raw) → Commerce orders', conn: 'posEvents', dataSet: 'orders' },
  { name: 'Kiosk check-ins (raw) → Store visits', conn: 'posEvents', dataSet: 'storeVisits', disabled: true },
];
