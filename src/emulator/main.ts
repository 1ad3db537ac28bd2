import { pathToFileURL } from 'node:url';
import { DEFAULT_COMPACT_BYTES } from './journal.ts';
import { DEFAULT_REQUEST_LOG_SIZE } from './requestLog.ts';
import { startEmulator, type EmulatorOptions } from './server.ts';
import { DEMO_ORG, DEMO_SANDBOX } from './seed/demo.ts';

const USAGE = `Usage: npm run emulator -- [options]

Runs the local Adobe Experience Platform emulator (Flow Service, Catalog, Schema Registry,
Data Prep, streaming collection, IMS tokens) with demo data unless told otherwise.

Options:
  --port N          port to listen on (default 4010; 0 picks a free one)
  --host HOST       interface to bind (default 127.0.0.1)
  --latency-ms N    added latency on every service route (default 0)
  --time-scale N    emulated seconds per real second for schedules and runs (default 1)
  --data FILE       load state from FILE at start; every write is synced to FILE.journal
                    before it is answered, and compacted into FILE now and then and at stop
  --journal-compact-bytes N
                    journal size that triggers a compaction into FILE (default ${DEFAULT_COMPACT_BYTES})
  --request-log-size N
                    service requests GET /__emulator/requests keeps, the most recent
                    (default ${DEFAULT_REQUEST_LOG_SIZE})
  --no-demo         start empty instead of seeding the ACME demo org
  --help            print this help
`;

export interface CliOptions {
  help: boolean;
  options: EmulatorOptions & { port: number; host: string };
}

type Parsed = { ok: true; value: CliOptions } | { ok: false; errors: string[] };

const VALUE_FLAGS = [
  '--port',
  '--host',
  '--latency-ms',
  '--time-scale',
  '--data',
  '--journal-compact-bytes',
  '--request-log-size',
] as const;

function numberFlag(
  flag: string,
  raw: string,
  errors: string[],
  check: (n: number) => boolean,
  expected: string,
): number | undefined {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) {
    errors.push(`${flag} must be ${expected}, got "${raw}"`);
    return undefined;
  }
  return n;
}

/** Parses the CLI flags; every problem is reported at once (`--flag=value` and `--flag value` both work). */
export function parseCliArgs(argv: readonly string[]): Parsed {
  const errors: string[] = [];
  const out: CliOptions = { help: false, options: { port: 4010, host: '127.0.0.1', demo: true } };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === '--help' || flag === '-h') {
      out.help = true;
      continue;
    }
    if (flag === '--no-demo') {
      out.options.demo = false;
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) {
      errors.push(`unknown flag ${arg}`);
      continue;
    }
    let value: string | undefined = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : undefined;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        errors.push(`${flag} needs a value`);
        continue;
      }
      value = next;
      i++;
    }
    switch (flag) {
      case '--port': {
        const port = numberFlag(
          flag,
          value,
          errors,
          (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
          'an integer from 0 to 65535',
        );
        if (port !== undefined) out.options.port = port;
        break;
      }
      case '--host':
        if (value.trim() === '') errors.push('--host must not be empty');
        else out.options.host = value;
        break;
      case '--latency-ms': {
        const latency = numberFlag(flag, value, errors, (n) => n >= 0, 'a number >= 0');
        if (latency !== undefined) out.options.latencyMs = latency;
        break;
      }
      case '--time-scale': {
        const scale = numberFlag(flag, value, errors, (n) => n > 0, 'a number > 0');
        if (scale !== undefined) out.options.timeScale = scale;
        break;
      }
      case '--data':
        if (value.trim() === '') errors.push('--data must name a file');
        else out.options.dataFile = value;
        break;
      case '--request-log-size': {
        const size = numberFlag(flag, value, errors, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1');
        if (size !== undefined) out.options.requestLogSize = size;
        break;
      }
      case '--journal-compact-bytes': {
        const bytes = numberFlag(flag, value, errors, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1');
        if (bytes !== undefined) out.options.journalCompactBytes = bytes;
        break;
      }
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: out };
}

async function main(argv: readonly string[]): Promise<void> {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`emulator: bad command line: ${parsed.errors.join('; ')}\n\n${USAGE}`);
    process.exit(2);
  }
  if (parsed.value.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { options } = parsed.value;
  const emulator = await startEmulator(options);
  const lines = [
    `Platform emulator listening on ${emulator.url}`,
    options.demo === true ? `Demo data: org ${DEMO_ORG}, sandbox ${DEMO_SANDBOX}` : 'No demo data (--no-demo)',
    `Token: curl -s -X POST ${emulator.url}/ims/token/v3 -d grant_type=client_credentials -d client_id=my-client -d client_secret=any -d scope=openid,AdobeID`,
    `Then send: Authorization: Bearer <token>, x-api-key: my-client, x-gw-ims-org-id: ${DEMO_ORG}, x-sandbox-name: ${DEMO_SANDBOX}`,
    ...(options.dataFile === undefined ? [] : [`State file: ${options.dataFile}`]),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the emulator\n`);
    // stop() flushes the state file before the server closes.
    emulator.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('emulator: error while stopping', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error('emulator: failed to start', err);
    process.exit(1);
  });
}
