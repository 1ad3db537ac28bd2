import type { AuthSpecDto, ConnectionSpecDto, JsonSchemaDto } from '../../upstream/flowService/types.ts';
import {
  DATA_LAKE_CONNECTION_SPEC_ID,
  FLOW_SPEC_IDS,
  HTTP_API_CONNECTION_SPEC_ID,
} from '../../upstream/flowService/types.ts';
import {
  BATCH_SOURCE_PROVIDER_ID,
  JSON_SCHEMA_DRAFT_07,
  STREAMING_SOURCE_PROVIDER_ID,
  flowSpecs,
  permissionsFor,
} from './flowSpecs.ts';

export type SourceKind = 'file' | 'table' | 'streaming';

type Params = Record<string, JsonSchemaDto>;

const str = (description: string): JsonSchemaDto => ({ type: 'string', description });
/** `format: "password"` is what marks a param as secret for masking (CONTRACT §2.2, §10.4). */
const secret = (description: string): JsonSchemaDto => ({ type: 'string', description, format: 'password' });
const int = (description: string, extra: JsonSchemaDto = {}): JsonSchemaDto => ({
  type: 'integer',
  description,
  ...extra,
});
const bool = (description: string, extra: JsonSchemaDto = {}): JsonSchemaDto => ({
  type: 'boolean',
  description,
  ...extra,
});

/** Keys of `required` become the schema's `required` list, in order. */
function auth(
  name: string,
  type: string,
  connector: string,
  required: Params,
  optional: Params = {},
  extra: JsonSchemaDto = {},
): AuthSpecDto {
  return {
    name,
    type,
    spec: {
      $schema: JSON_SCHEMA_DRAFT_07,
      type: 'object',
      description: `defines auth params required for connecting to ${connector}`,
      properties: { ...required, ...optional },
      required: Object.keys(required),
      ...extra,
    },
  };
}

const connectionString = (connector: string): Params => ({
  connectionString: secret(`The connection string used to connect to ${connector}.`),
});

const connectionStringAuth = (connector: string, name = 'Connection String Based Authentication'): AuthSpecDto =>
  auth(name, 'ConnectionString', connector, connectionString(connector));

const serverDatabaseUserPassword = (connector: string): Params => ({
  server: str(`The ${connector} server address.`),
  database: str('The database to connect to.'),
  username: str('User name for the database account.'),
  password: secret('Password for the database account.'),
});

const sslMode = str('Encryption of the connection.');
const pgSslMode: JsonSchemaDto = { ...sslMode, enum: ['Disable', 'Allow', 'Prefer', 'Verify Ca', 'Verify Full'] };

const salesforceBasic = (connector: string): AuthSpecDto =>
  auth(
    'Basic Authentication',
    'BasicAuthentication',
    connector,
    {
      username: str('User name for the Salesforce account.'),
      password: secret('Password for the Salesforce account.'),
      securityToken: secret('Security token of the Salesforce account.'),
    },
    {
      environmentUrl: str('The URL of the Salesforce instance.'),
      apiVersion: str('The REST API version, in the form "52.0".'),
    },
  );

const salesforceClientCredential = (connector: string): AuthSpecDto =>
  auth('OAuth2 Client Credential', 'OAuth2ClientCredential', connector, {
    environmentUrl: str('The URL of the Salesforce instance.'),
    clientId: str('The client id of the connected app.'),
    clientSecret: secret('The client secret of the connected app.'),
    apiVersion: str('The REST API version, in the form "52.0".'),
  });

const hdInsightsBasic = (connector: string): Params => ({
  host: str(`The ${connector} server host.`),
  username: str('User name for the HDInsights cluster.'),
  password: secret('Password for the HDInsights cluster.'),
});

const azureBlobSasUri = (name: string): AuthSpecDto =>
  auth(
    name,
    'SasURIAuthentication',
    'azure-blob',
    { sasUri: secret('The shared access signature URI of the storage account.') },
    { container: str('The container to browse.'), folderPath: str('The folder to browse.') },
  );

const snowflakeConnectionString = (name: string): AuthSpecDto =>
  auth(name, 'ConnectionString', 'snowflake', connectionString('Snowflake (jdbc:snowflake://...)'), {
    usePrivateLink: bool('Connect through a private link.'),
  });

const eventHubAad = (name: string, scoped: boolean): AuthSpecDto =>
  auth(name, 'AzureActiveDirectory', 'azure-event-hubs', {
    tenantId: str('The Azure tenant id.'),
    clientId: str('The application (client) id.'),
    clientSecretValue: secret('The client secret value.'),
    namespace: str('The Event Hubs namespace.'),
    ...(scoped ? { eventHubName: str('The event hub to connect to.') } : {}),
  });

const streamingDataType: JsonSchemaDto = {
  type: 'string',
  enum: ['raw', 'xdm'],
  description: 'The format of the streamed records.',
};

interface SourceDef {
  id: string;
  /** Documented `name` where the docs show one (CONTRACT §10.2), else a kebab-case slug [EMU]. */
  name: string;
  label: string;
  category: string;
  authSpec: AuthSpecDto[];
  /** Streaming sources only: the source connection `params` schema (CONTRACT §10.4 notes). */
  streamParams?: { properties: Params; required: string[] };
  filterAtSource?: Record<string, unknown>;
  documentationLink?: string;
}

const sources: SourceDef[] = [
  // CloudStorageToAEP
  {
    id: 'ecadc60c-7455-4d87-84dc-2a0e293d997b',
    name: 'amazon-s3',
    label: 'Amazon S3',
    category: 'cloudStorage',
    authSpec: [
      // ⚠a: the lookup's `required` names accessKeyId/secretAccessKey; every request uses s3*.
      auth(
        'Access Key',
        'Access Key Auth',
        'amazon-s3',
        {
          s3AccessKey: str('Access key id for the S3 account.'),
          s3SecretKey: secret('Secret access key for the S3 account.'),
        },
        {
          s3SessionToken: secret('Temporary session token.'),
          serviceUrl: str('The S3 endpoint, for non-default regions.'),
          bucketName: str('Restricts access to this bucket.'),
          folderPath: str('Restricts access to this folder.'),
        },
      ),
    ],
  },
  {
    id: '4c10e202-c428-4796-9208-5f1f5732b1cf',
    name: 'azure-blob',
    label: 'Azure Blob Storage',
    category: 'cloudStorage',
    authSpec: [
      auth('ConnectionString', 'ConnectionString', 'azure-blob', connectionString('Azure Blob Storage'), {
        container: str('The container to browse.'),
        folderPath: str('The folder to browse.'),
      }),
      azureBlobSasUri('SAS URI Authentication'),
      azureBlobSasUri('SasURIAuthentication'),
    ],
  },
  {
    id: 'b3ba5556-48be-44b7-8b85-ff2b69b46dc4',
    name: 'adls-gen2',
    label: 'Azure Data Lake Storage Gen2',
    category: 'cloudStorage',
    authSpec: [
      auth('Basic Authentication for adls-gen2', 'BasicAuthentication', 'adls-gen2', {
        url: str('The ADLS Gen2 endpoint.'),
        servicePrincipalId: str('The application client id.'),
        servicePrincipalKey: secret('The application key.'),
        tenant: str('The tenant of the application.'),
      }),
    ],
  },
  {
    id: 'be5ec48c-5b78-49d5-b8fa-7c89ec4569b8',
    name: 'azure-file-storage',
    label: 'Azure File Storage',
    category: 'cloudStorage',
    authSpec: [
      // ⚠b: the schema says `userid`, tutorials send `userId`; required keys are matched case-insensitively.
      auth('Basic Authentication', 'BasicAuthentication', 'azure-file-storage', {
        host: str('The Azure File Storage endpoint.'),
        userid: str('The user with access to the storage.'),
        password: secret('The storage password.'),
      }),
    ],
  },
  {
    id: '32e8f412-cdf7-464c-9885-78184cb113fd',
    name: 'google-cloud',
    label: 'Google Cloud Storage',
    category: 'cloudStorage',
    documentationLink: 'http://www.adobe.com/go/sources-google-cloud-storage-en',
    authSpec: [
      auth('Basic Authentication for google-cloud', 'KeyBased', 'google-cloud', {
        accessKeyId: str('The access key ID assigned to the user account.'),
        secretAccessKey: secret('The secret access key assigned to the user account.'),
      }),
    ],
  },
  {
    id: 'b7bf2577-4520-42c9-bae9-cad01560f7bc',
    name: 'sftp',
    label: 'SFTP',
    category: 'cloudStorage',
    authSpec: [
      auth(
        'Basic Authentication for sftp',
        'BasicAuthentication',
        'sftp',
        { host: str('The SFTP server.'), userName: str('The SFTP user.'), password: secret('The SFTP password.') },
        {
          port: int('The SFTP port.', { default: 22 }),
          maxConcurrentConnections: int('Connection limit.', { minimum: 1 }),
          folderPath: str('Restricts access to this folder.'),
        },
      ),
      auth(
        'SSH PublicKey Authentication for sftp',
        'SSHPublicKeyAuthentication',
        'sftp',
        {
          host: str('The SFTP server.'),
          userName: str('The SFTP user.'),
          privateKeyContent: secret('Base64-encoded RSA or DSA OpenSSH private key.'),
        },
        {
          port: int('The SFTP port.', { default: 22 }),
          passPhrase: secret('Pass phrase of the private key.'),
          maxConcurrentConnections: int('Connection limit.', { minimum: 1 }),
          folderPath: str('Restricts access to this folder.'),
        },
      ),
    ],
  },
  {
    id: 'fb2e94c9-c031-467d-8103-6bd6e0a432f2',
    name: 'ftp', // no source documents this spec's name: ours
    label: 'FTP',
    category: 'cloudStorage',
    authSpec: [
      auth('Basic Authentication for FTP', 'BasicAuthentication', 'ftp', {
        host: str('The FTP server.'),
        userName: str('The FTP user.'),
        password: secret('The FTP password.'),
      }),
    ],
  },
  {
    id: '54e221aa-d342-4707-bcff-7a4bceef0001',
    name: 'hdfs', // no source documents this spec's name: ours
    label: 'HDFS',
    category: 'cloudStorage',
    authSpec: [auth('Anonymous Authentication', 'Anonymous', 'hdfs', { url: str('The HDFS endpoint.') })],
  },
  {
    id: 'c85f9425-fb21-426c-ad0b-405e9bd8a46c',
    name: 'oracle-object-storage', // no source documents this spec's name: ours
    label: 'Oracle Object Storage',
    category: 'cloudStorage',
    authSpec: [
      auth(
        'Access Key',
        'KeyBased',
        'oracle-object-storage',
        {
          serviceUrl: str('The Oracle Object Storage endpoint.'),
          accessKey: str('The access key id.'),
          secretKey: secret('The secret access key.'),
        },
        { bucketName: str('Restricts access to this bucket.'), folderPath: str('Restricts access to this folder.') },
      ),
    ],
  },
  {
    // No base connection is ever created for the landing zone (CONTRACT §10.4 note g).
    id: '26f526f2-58f4-4712-961d-e41bf1ccc0e8',
    // the name aepp looks the spec up by (flowservice.py createSourceConnectionDataLandingZone)
    name: 'landing-zone',
    label: 'Data Landing Zone',
    category: 'cloudStorage',
    authSpec: [],
  },

  // Streaming
  {
    id: HTTP_API_CONNECTION_SPEC_ID,
    // the name aepp looks the spec up by (flowservice.py createSourceConnectionStreaming)
    name: 'Streaming Connection',
    label: 'HTTP API',
    category: 'streaming',
    authSpec: [
      // inletId and inletUrl are added by the server (CONTRACT §6.1), not sent.
      auth(
        'Streaming Connection',
        'Streaming',
        'the HTTP API',
        { dataType: streamingDataType },
        {
          name: str('Name of the streaming connection.'),
          sourceId: str('Source identifier; defaults to name.'),
          authenticationRequired: bool('Require an access token on the collection endpoint.', { default: false }),
        },
      ),
    ],
    streamParams: { properties: {}, required: [] },
  },
  {
    id: '86043421-563b-46ec-8e6c-e23184711bf6',
    name: 'amazon-kinesis', // no source documents this spec's name: ours
    label: 'Amazon Kinesis',
    category: 'streaming',
    authSpec: [
      auth(
        'Aws Kinesis authentication credentials',
        'KeyBased',
        'amazon-kinesis',
        { accessKeyId: str('The Kinesis access key id.'), secretKey: secret('The Kinesis secret access key.') },
        { region: str('The AWS region of the stream.') },
      ),
    ],
    streamParams: {
      properties: {
        stream: str('The Kinesis stream to read.'),
        dataType: streamingDataType,
        reset: { type: 'string', enum: ['latest', 'earliest'], description: 'Where to start reading.' },
      },
      required: ['stream', 'dataType'],
    },
  },
  {
    id: 'bf9f5905-92b7-48bf-bf20-455bc6b60a4e',
    name: 'azure-event-hubs', // no source documents this spec's name: ours
    label: 'Azure Event Hubs',
    category: 'streaming',
    authSpec: [
      auth(
        'Azure EventHub authentication credentials',
        'KeyBased',
        'azure-event-hubs',
        {
          sasKeyName: str('The name of the shared access policy.'),
          sasKey: secret('The primary key of the shared access policy.'),
          namespace: str('The Event Hubs namespace.'),
        },
        { eventHubName: str('The event hub, for a hub-scoped SAS key.') },
      ),
      eventHubAad('Event Hub Azure Active Directory Auth', false),
      eventHubAad('Event Hub Scoped Azure Active Directory Auth', true),
    ],
    streamParams: {
      properties: {
        eventHubName: str('The event hub to read.'),
        dataType: streamingDataType,
        reset: {
          type: 'string',
          enum: ['latest', 'earliest'],
          default: 'earliest',
          description: 'Where to start reading.',
        },
        consumerGroup: { type: 'string', default: '$Default', description: 'The consumer group to read with.' },
      },
      required: ['eventHubName', 'dataType'],
    },
  },
  {
    id: '70116022-a743-464a-bbfe-e226a7f8210c',
    name: 'google-pubsub', // no source documents this spec's name: ours
    label: 'Google PubSub',
    category: 'streaming',
    authSpec: [
      auth('Project Based Authentication', 'KeyBased', 'google-pubsub', {
        projectId: str('The Google Cloud project.'),
        credentials: secret('The service account key JSON.'),
      }),
      auth('Topic & Subscription Based Authentication', 'KeyBased', 'google-pubsub', {
        credentials: secret('The service account key JSON.'),
        topicName: str('The topic, as projects/{project}/topics/{topic}.'),
        subscriptionName: str('The subscription, as projects/{project}/subscriptions/{subscription}.'),
      }),
    ],
    streamParams: {
      properties: {
        topicName: str('The topic to read.'),
        subscriptionName: str('The subscription to read.'),
        dataType: streamingDataType,
      },
      required: ['topicName', 'subscriptionName', 'dataType'],
    },
  },

  // CRMToAEP: CRM, customer success, protocols
  {
    id: 'cfc0fee1-7dc0-40ef-b73e-d8b134c436f5',
    name: 'salesforce',
    label: 'Salesforce',
    category: 'crm',
    authSpec: [
      salesforceBasic('salesforce'),
      salesforceClientCredential('salesforce'),
      auth('OAuth2 JWT Token Credential', 'OAuth2JWT', 'salesforce', {
        jwtToken: secret('The signed JWT.'),
        clientId: str('The client id of the connected app.'),
        clientSecret: secret('The client secret of the connected app.'),
        instanceUrl: str('The URL of the Salesforce instance.'),
      }),
    ],
  },
  {
    id: '38ad80fe-8b06-4938-94f4-d4ee80266b07',
    name: 'dynamics-online',
    label: 'Microsoft Dynamics',
    category: 'crm',
    documentationLink: 'http://www.adobe.com/go/sources-dynamics-en',
    authSpec: [
      auth('Basic Authentication for Dynamics-Online', 'BasicAuthentication', 'dynamics-online', {
        serviceUri: str('The service URL of your Dynamics instance'),
        username: str('User name for the user account'),
        password: secret('Password for the user account'),
      }),
      auth('Service Principal Key Based Authentication', 'ServicePrincipal', 'dynamics-online', {
        serviceUri: str('The service URL of your Dynamics instance'),
        servicePrincipalId: str('The application client id.'),
        servicePrincipalKey: secret('The application key.'),
      }),
    ],
  },
  {
    // Not in §10.2; the docs file its API tutorial under crm, the UI lists it as marketing automation.
    id: 'cc6a4487-9e91-433e-a3a3-9cf6626c1806',
    name: 'hubspot',
    label: 'HubSpot',
    category: 'marketingAutomation',
    authSpec: [
      auth('Basic Authentication', 'BasicAuthentication', 'hubspot', {
        clientId: str('The HubSpot app client id.'),
        clientSecret: secret('The HubSpot app client secret.'),
        accessToken: secret('The OAuth access token.'),
        refreshToken: secret('The OAuth refresh token.'),
      }),
    ],
  },
  {
    // Not in §10.2; category as the UI catalog files Google Ads.
    id: 'd771e9c1-4f26-40dc-8617-ce58c4b53702',
    name: 'google-adwords',
    label: 'Google AdWords',
    category: 'advertising',
    authSpec: ['Basic Authentication for google-adwords', 'Basic Authentication'].map((name) =>
      auth(name, 'BasicAuthentication', 'google-adwords', {
        clientCustomerID: str('The AdWords client customer id.'),
        developerToken: secret('The AdWords developer token.'),
        refreshToken: secret('The OAuth refresh token.'),
        clientId: str('The OAuth client id.'),
        clientSecret: secret('The OAuth client secret.'),
      }),
    ),
  },
  {
    id: 'cb66ab34-8619-49cb-96d1-39b37ede86ea',
    name: 'salesforce-service-cloud',
    label: 'Salesforce Service Cloud',
    category: 'customerSuccess',
    authSpec: [salesforceBasic('salesforce-service-cloud'), salesforceClientCredential('salesforce-service-cloud')],
  },
  {
    id: 'eb13cb25-47ab-407f-ba89-c0125281c563',
    name: 'service-now',
    label: 'ServiceNow',
    category: 'customerSuccess',
    authSpec: [
      auth('Basic Authentication', 'BasicAuthentication', 'service-now', {
        endpoint: str('The ServiceNow instance URL.'),
        username: str('User name for the ServiceNow account.'),
        password: secret('Password for the ServiceNow account.'),
      }),
    ],
  },
  {
    id: '8e6b41a8-d998-4545-ad7d-c6a9fff406c3',
    name: 'generic-odata', // no source documents this spec's name: ours
    label: 'Generic OData',
    category: 'protocols',
    authSpec: [
      auth('Anonymous Authentication', 'Anonymous', 'generic-odata', {
        url: str('The root URL of the OData service.'),
      }),
    ],
  },

  // CRMToAEP: databases
  {
    id: '3c9b37f8-13a6-43d8-bad3-b863b941fedd',
    name: 'google-big-query',
    label: 'Google BigQuery',
    category: 'database',
    filterAtSource: { enabled: true, queryLanguage: 'SQL' },
    authSpec: [
      auth(
        'Basic Authentication',
        'BasicAuthentication',
        'google-big-query',
        {
          project: str('The BigQuery project.'),
          clientId: str('The OAuth client id.'),
          clientSecret: secret('The OAuth client secret.'),
          refreshToken: secret('The OAuth refresh token.'),
        },
        { largeResultsDataSetId: str('Dataset for large intermediate results.') },
      ),
    ],
  },
  {
    id: '3416976c-a9ca-4bba-901a-1f08f66978ff',
    name: 'amazon-redshift',
    label: 'Amazon Redshift',
    category: 'database',
    authSpec: [
      auth('Basic Authentication', 'BasicAuthentication', 'amazon-redshift', {
        server: str('The Redshift server address.'),
        username: str('User name for the database account.'),
        password: secret('Password for the database account.'),
        database: str('The database to connect to.'),
      }),
    ],
  },
  {
    id: 'aac9bbd4-6c01-46ce-b47e-51c6f0f6db3f',
    name: 'apache-hive-on-azure-hdinsights', // no source documents this spec's name: ours
    label: 'Apache Hive on Azure HDInsights',
    category: 'database',
    authSpec: [
      // ⚠d: the credential table lists host/username/password, the request posts connectionString; either set is accepted.
      auth(
        'HDInsights Basic Authentication',
        'BasicAuthentication',
        'hive',
        {},
        { ...hdInsightsBasic('Hive'), ...connectionString('Hive') },
        {
          anyOf: [{ required: ['host', 'username', 'password'] }, { required: ['connectionString'] }],
        },
      ),
    ],
  },
  {
    id: '6a8d82bc-1caf-45d1-908d-cadabc9d63a6',
    name: 'apache-spark-on-azure-hdinsights', // no source documents this spec's name: ours
    label: 'Apache Spark on Azure HDInsights',
    category: 'database',
    authSpec: [auth('HDInsights Basic Authentication', 'BasicAuthentication', 'spark', hdInsightsBasic('Spark'))],
  },
  {
    id: '0479cc14-7651-4354-b233-7480606c2ac3',
    name: 'azure-data-explorer', // no source documents this spec's name: ours
    label: 'Azure Data Explorer',
    category: 'database',
    authSpec: [
      auth('Service Principal Based Authentication', 'ServicePrincipal', 'azure-data-explorer', {
        endpoint: str('The Azure Data Explorer cluster URL.'),
        database: str('The database to connect to.'),
        tenant: str('The tenant of the application.'),
        servicePrincipalId: str('The application client id.'),
        servicePrincipalKey: secret('The application key.'),
      }),
    ],
  },
  {
    id: 'a49bcc7d-8038-43af-b1e4-5a7a089a7d79',
    name: 'azure-synapse-analytics', // no source documents this spec's name: ours
    label: 'Azure Synapse Analytics',
    category: 'database',
    authSpec: [connectionStringAuth('Azure Synapse Analytics')],
  },
  {
    id: 'ecde33f2-c56f-46cc-bdea-ad151c16cd69',
    name: 'azure-table-storage', // no source documents this spec's name: ours
    label: 'Azure Table Storage',
    category: 'database',
    authSpec: [connectionStringAuth('Azure Table Storage')],
  },
  {
    id: '1fe283f6-9bec-11ea-bb37-0242ac130002',
    name: 'couchbase', // no source documents this spec's name: ours
    label: 'Couchbase',
    category: 'database',
    authSpec: [connectionStringAuth('Couchbase')],
  },
  {
    id: '37b6bf40-d318-4655-90be-5cd6f65d334b',
    name: 'greenplum', // no source documents this spec's name: ours
    label: 'Greenplum',
    category: 'database',
    authSpec: [auth('Basic Authentication', 'BasicAuthentication', 'greenplum', connectionString('Greenplum'))],
  },
  {
    id: '09182899-b429-40c9-a15a-bf3ddbc8ced7',
    name: 'ibm-db2', // no source documents this spec's name: ours
    label: 'IBM DB2',
    category: 'database',
    authSpec: [
      // ⚠d: follows the request body, not the credential table.
      auth('Basic Authentication', 'BasicAuthentication', 'ibm-db2', serverDatabaseUserPassword('DB2'), {
        authenticationType: str('The DB2 authentication type.'),
      }),
    ],
  },
  {
    id: '3000eb99-cd47-43f3-827c-43caf170f015',
    name: 'maria-db',
    label: 'MariaDB',
    category: 'database',
    authSpec: [
      connectionStringAuth('MariaDB'),
      auth('Basic Authentication', 'BasicAuthentication', 'maria-db', serverDatabaseUserPassword('MariaDB'), {
        sslMode,
      }),
    ],
  },
  {
    id: '1f372ff9-38a4-4492-96f5-b9a4e4bd00ec',
    name: 'sql-server',
    label: 'Microsoft SQL Server',
    category: 'database',
    authSpec: [connectionStringAuth('Microsoft SQL Server')],
  },
  {
    id: '26d738e0-8963-47ea-aadf-c60de735468a',
    name: 'mysql',
    label: 'MySQL',
    category: 'database',
    authSpec: [
      connectionStringAuth('MySQL'),
      auth('Basic Authentication', 'BasicAuthentication', 'mysql', serverDatabaseUserPassword('MySQL'), {
        port: int('The MySQL port.'),
        sslMode,
      }),
    ],
  },
  {
    id: 'd6b52d86-f0f8-475f-89d4-ce54c8527328',
    name: 'oracle', // no source documents this spec's name: ours
    label: 'Oracle',
    category: 'database',
    authSpec: [connectionStringAuth('Oracle', 'ConnectionString')],
  },
  {
    id: '102706fb-a5cd-42ee-afe0-bc42f017ff43',
    name: 'phoenix', // no source documents this spec's name: ours
    label: 'Phoenix',
    category: 'database',
    authSpec: [
      auth(
        'Basic Authentication',
        'BasicAuthentication',
        'phoenix',
        {
          host: str('The Phoenix server host.'),
          port: int('The Phoenix server port.'),
          httpPath: str('The partial URL of the Phoenix server.'),
          username: str('User name for the Phoenix account.'),
          password: secret('Password for the Phoenix account.'),
        },
        { enableSsl: bool('Encrypt the connection with TLS.') },
      ),
    ],
  },
  {
    id: '74a1c565-4e59-48d7-9d67-7c03b8a13137',
    name: 'postgre-sql',
    label: 'PostgreSQL',
    category: 'database',
    authSpec: [
      connectionStringAuth('PostgreSQL'),
      // ⚠c: the older lookup's name for the same connection-string spec.
      connectionStringAuth('PostgreSQL', 'Basic Authentication for PostgreSQL'),
      auth('Basic Authentication', 'BasicAuthentication', 'postgre-sql', serverDatabaseUserPassword('PostgreSQL'), {
        port: int('The PostgreSQL port.'),
        sslMode: pgSslMode,
      }),
    ],
  },
  {
    id: 'b2e08744-4f1a-40ce-af30-7abac3e23cf3',
    name: 'snowflake', // no source documents this spec's name: ours
    label: 'Snowflake',
    category: 'database',
    authSpec: [
      snowflakeConnectionString('ConnectionString'),
      snowflakeConnectionString('Basic Authentication for Snowflake'),
      auth(
        'KeyPair Authentication',
        'KeyPairAuthentication',
        'snowflake',
        {
          account: str('The Snowflake account identifier.'),
          username: str('The Snowflake user.'),
          database: str('The database to connect to.'),
          warehouse: str('The warehouse to run queries on.'),
          privateKey: secret('Base64-encoded private key.'),
        },
        { privateKeyPassphrase: secret('Pass phrase of an encrypted private key.') },
      ),
      auth('Basic Authentication', 'BasicAuthentication', 'snowflake', {
        host: str('The Snowflake host.'),
        port: int('The Snowflake port.'),
        username: str('The Snowflake user.'),
        password: secret('The Snowflake password.'),
        database: str('The database to connect to.'),
        warehouse: str('The warehouse to run queries on.'),
        schema: str('The schema to read.'),
      }),
    ],
  },
];

const KIND_BY_FLOW_SPEC: Readonly<Record<string, SourceKind>> = {
  [FLOW_SPEC_IDS.cloudStorageToAep]: 'file',
  [FLOW_SPEC_IDS.crmToAep]: 'table',
  [FLOW_SPEC_IDS.streamOptionalTransformation]: 'streaming',
  [FLOW_SPEC_IDS.streamWithTransformation]: 'streaming',
  [FLOW_SPEC_IDS.streamWithoutTransformation]: 'streaming',
};

function kindOf(specId: string): SourceKind {
  for (const flowSpec of flowSpecs) {
    const kind = KIND_BY_FLOW_SPEC[flowSpec.id];
    if (kind !== undefined && flowSpec.sourceConnectionSpecIds.includes(specId)) return kind;
  }
  throw new Error(`connection spec ${specId} is in no flow spec's sourceConnectionSpecIds`);
}

/** How each seeded source is read, from the flow spec that accepts it. */
export const SOURCE_KIND: Readonly<Record<string, SourceKind>> = Object.fromEntries(
  sources.map((s) => [s.id, kindOf(s.id)]),
);

const fileParams: JsonSchemaDto = {
  path: {
    type: 'string',
    description: 'The input path for copying files. This can be a folder path, a file path or a wildcard pattern.',
  },
  recursive: {
    type: 'boolean',
    default: false,
    description: 'The recursive property indicates recursive copy in case of folder or wild card path.',
  },
  // Tutorials send it although the documented schema lacks it (CONTRACT §10.4 notes).
  type: { type: 'string', enum: ['file', 'folder'] },
};

const tableParams: JsonSchemaDto = {
  tableName: { type: 'string', description: 'The input table to pull data from.' },
  columns: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        type: { type: 'string' },
        meta: {
          type: 'object',
          description: 'Defines meta information for each column.',
          properties: { originalType: { type: 'string' } },
        },
      },
      required: ['name', 'type'],
    },
  },
};

function sourceSpecOf(def: SourceDef, kind: SourceKind): NonNullable<ConnectionSpecDto['sourceSpec']> {
  const [name, properties, required]: [string, JsonSchemaDto, string[]] =
    kind === 'file'
      ? ['CloudStorage', fileParams, ['path']]
      : kind === 'table'
        ? ['Table', tableParams, ['tableName']]
        : ['Streaming', def.streamParams?.properties ?? {}, def.streamParams?.required ?? []];
  const i18nKey = def.name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return {
    name,
    type: name,
    spec: {
      $schema: JSON_SCHEMA_DRAFT_07,
      type: 'object',
      description: `Defines params required when ${def.name} connection is used as a source in flow.`,
      properties,
      required,
    },
    attributes: {
      uiAttributes: {
        isSource: true,
        category: { key: def.category },
        icon: { key: i18nKey },
        label: { key: `${i18nKey}Label` },
        description: { key: `${i18nKey}Description` },
        ...(def.documentationLink === undefined ? {} : { documentationLink: def.documentationLink }),
      },
    },
  };
}

const exploreItem = (entryTypes: string[]): JsonSchemaDto => ({
  type: 'object',
  properties: {
    type: { type: 'string', enum: entryTypes },
    name: { type: 'string' },
    path: { type: 'string' },
    canPreview: { type: 'boolean' },
    canFetchSchema: { type: 'boolean' },
  },
});

function exploreSpecOf(kind: SourceKind): ConnectionSpecDto['exploreSpec'] {
  if (kind === 'streaming') return undefined;
  const name = kind === 'file' ? 'FileSystem' : 'Table';
  return {
    name,
    type: name,
    requestSpec: { $schema: JSON_SCHEMA_DRAFT_07, type: 'object' },
    responseSpec: {
      $schema: JSON_SCHEMA_DRAFT_07,
      type: 'array',
      items: exploreItem(kind === 'file' ? ['file', 'folder'] : ['table']),
    },
  };
}

function toConnectionSpec(def: SourceDef): ConnectionSpecDto {
  const kind = kindOf(def.id);
  const exploreSpec = exploreSpecOf(kind);
  return {
    id: def.id,
    name: def.name,
    providerId: kind === 'streaming' ? STREAMING_SOURCE_PROVIDER_ID : BATCH_SOURCE_PROVIDER_ID,
    version: '1.0',
    authSpec: def.authSpec,
    sourceSpec: sourceSpecOf(def, kind),
    ...(exploreSpec === undefined ? {} : { exploreSpec }),
    attributes: {
      category: def.category,
      connectorName: def.label,
      isSource: true,
      uiAttributes: { label: def.label, apiFeatures: { explorePaginationSupported: false } },
      ...(def.filterAtSource === undefined ? {} : { filterAtSource: def.filterAtSource }),
    },
    permissionsInfo: permissionsFor(kind === 'streaming' ? 'StreamingSource' : 'EnterpriseSource'),
  };
}

/** The fixed target of every source flow: writes batches into a Catalog dataset (CONTRACT §2.2, §9.1). */
const dataLakeTarget: ConnectionSpecDto = {
  id: DATA_LAKE_CONNECTION_SPEC_ID,
  // the name aepp looks the spec up by (flowservice.py createTargetConnectionDataLake)
  name: 'datalake',
  providerId: BATCH_SOURCE_PROVIDER_ID,
  version: '1.0',
  authSpec: [],
  targetSpec: {
    name: 'DataLake',
    type: 'DataLake',
    spec: {
      $schema: JSON_SCHEMA_DRAFT_07,
      type: 'object',
      description: 'Defines params required when the data lake is used as a target in flow.',
      properties: { dataSetId: { type: 'string', description: 'The Catalog dataset to write to.' } },
      required: ['dataSetId'],
    },
  },
  attributes: {
    category: 'dataLake',
    connectorName: 'Data Lake',
    isSource: false,
    isDestination: false,
    uiAttributes: { label: 'Data Lake' },
  },
  permissionsInfo: permissionsFor('EnterpriseSource'),
};

export const connectionSpecs: readonly ConnectionSpecDto[] = [...sources.map(toConnectionSpec), dataLakeTarget];

/**
 * Ids listed by a flow spec with no documented name (CONTRACT §10.2 last paragraph). They stay
 * in the flow spec lists but are not seeded, so using one as a connection spec fails FLOW-1413.
 */
export const unnamedSpecIds: readonly string[] = [
  'b7829c2f-2eb0-4f49-a6ee-55e33008b629',
  '998b8ae3-cec0-43b7-8abe-40b1eb4ee069',
  '4f63aa36-bd48-4e33-bb83-49fbcd11c708',
  '221c7626-58f6-4eec-8ee2-042b0226f03b',
  'a8b6a1a4-5735-42b4-952c-85dce0ac38b5',
  'a8f4d393-1a6b-43f3-931f-91a16ed857f4',
  'fcad62f3-09b0-41d3-be11-449d5a621b69',
  'ea1c2a08-b722-11eb-8529-0242ac130003',
  '35d6c4d8-c9a9-11eb-b8bc-0242ac130003',
  'ff4274f2-c9a9-11eb-b8bc-0242ac130003',
  'ba5126ec-c9ac-11eb-b8bc-0242ac130003',
  '929e4450-0237-4ed2-9404-b7e1e0a00309',
  '2acf109f-9b66-4d5e-bc18-ebb2adcff8d5',
  '2fa8af9c-2d1a-43ea-a253-f00a00c74412',
  'e9d7ec6b-0873-4e57-ad21-b3a7c65e310b',
  'd27d4907-7351-47dd-bbc2-05a04365703d',
  '51ae16c2-bdad-42fd-9fce-8d5dfddaf140',
  'db4fe783-ef79-4a12-bda9-32b2b1bc3b2c',
];
