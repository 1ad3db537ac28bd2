/**
 * What every benchmark child shares, in plain JavaScript so that a child run by node alone
 * (bench/compiledServer.mjs, the compiled build) uses the same code as the children run by
 * tsx: the child side of the IPC protocol (bench/rpc.ts), the API's configuration in the
 * bench org, and the memory sampler.
 */

/**
 * The child side: answers calls with `handlers` until told to exit.
 * @param {Record<string, (args: any) => unknown>} handlers
 * @param {() => Promise<void>} [onExit]
 */
export function serveCalls(handlers, onExit = async () => {}) {
  process.on('message', (msg) => {
    if (msg.op === '__exit') {
      void onExit().finally(() => process.exit(0));
      return;
    }
    const handler = handlers[msg.op];
    Promise.resolve()
      .then(() => {
        if (handler === undefined) throw new Error(`no operation ${msg.op}`);
        return handler(msg.args);
      })
      .then(
        (result) => process.send({ id: msg.id, result }),
        (err) => process.send({ id: msg.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      );
  });
  // an orphan must not outlive the run that started it
  process.once('disconnect', () => {
    void onExit().finally(() => process.exit(0));
  });
  process.send('ready');
}

/**
 * The API's environment in server-credential mode in the bench org, reaching the emulator
 * only through its URLs.
 * @param {{ emulatorUrl: string, orgId: string, clientId: string, maxObjectsInFlight?: number, env?: Record<string, string> }} args
 * @returns {Record<string, string>}
 */
export function benchApiEnv(args) {
  return {
    PORT: '0',
    PLATFORM_URL: args.emulatorUrl,
    STREAMING_URL: args.emulatorUrl,
    IMS_URL: args.emulatorUrl,
    IMS_CLIENT_ID: args.clientId,
    IMS_CLIENT_SECRET: 'bench-secret',
    IMS_ORG_ID: args.orgId,
    ALLOW_ANONYMOUS: 'true',
    // the readiness probe once at start, not amid the measured requests
    READY_PROBE_INTERVAL_MS: '3600000',
    ...(args.maxObjectsInFlight === undefined ? {} : { MAX_OBJECTS_IN_FLIGHT: String(args.maxObjectsInFlight) }),
    ...args.env,
  };
}

let peakRss = 0;
/** @type {NodeJS.MemoryUsage | undefined} */
let atPeak;
/**
 * Reading RSS is a syscall worth ~0.1-0.5 ms: sample only while the memory benchmark asks for it.
 * @type {NodeJS.Timeout | undefined}
 */
let sampler;

/** The `memory` and `sample` calls of a server child. */
export const memoryHandlers = {
  /** @param {{ gc?: boolean }} args */
  memory(args) {
    if (args.gc === true) globalThis.gc?.();
    const m = process.memoryUsage();
    return { ...m, peakRss: Math.max(peakRss, m.rss), atPeak, cpuMicros: cpuMicros() };
  },
  /**
   * Starts sampling RSS every `intervalMs` (0 stops) and resets the peak; answers the process's CPU time so far.
   * @param {{ intervalMs: number }} args
   */
  sample(args) {
    clearInterval(sampler);
    sampler = undefined;
    peakRss = process.memoryUsage.rss();
    atPeak = undefined;
    if (args.intervalMs > 0) {
      sampler = setInterval(() => {
        const rss = process.memoryUsage.rss();
        if (rss > peakRss) {
          peakRss = rss;
          atPeak = process.memoryUsage();
        }
      }, args.intervalMs);
      sampler.unref();
    }
    return { cpuMicros: cpuMicros() };
  },
};

/** User and system CPU time of this process so far, in microseconds. */
function cpuMicros() {
  const { user, system } = process.cpuUsage();
  return user + system;
}
