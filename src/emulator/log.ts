import { pino } from 'pino';

/** What the emulator logs with: a pino logger (the API passes a child of its own). */
export interface EmulatorLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** The emulator's own, when none is given: JSON lines on stderr. */
export function defaultEmulatorLog(): EmulatorLog {
  return pino({ base: { component: 'emulator' } }, pino.destination({ dest: 2, sync: true }));
}
