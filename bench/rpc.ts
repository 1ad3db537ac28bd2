/**
 * The benchmark's processes talk over the IPC channel of `fork`: the parent calls named
 * operations of a child, one message per call and one per answer.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Call {
  id: number;
  op: string;
  args: unknown;
}

interface Answer {
  id: number;
  result?: unknown;
  error?: string;
}

export type { Handlers } from './childSide.mjs';
/** The child side: answers calls until told to exit (in plain JavaScript, for children run by node alone). */
export { serveCalls } from './childSide.mjs';

export interface Child {
  pid: number;
  call<T = unknown>(op: string, args?: unknown): Promise<T>;
  /** Asks the child to exit and waits for it. */
  stop(): Promise<void>;
}

/**
 * Forks `file` (this same tsx loader, unless `plain`: a JavaScript file run by node alone)
 * with `--role=<role>` and waits for its `ready`.
 */
export async function startChild(
  file: URL,
  role: string,
  options: { execArgv?: string[]; env?: Record<string, string>; plain?: boolean } = {},
): Promise<Child> {
  const child: ChildProcess = fork(fileURLToPath(file), [`--role=${role}`], {
    execArgv: [...(options.plain === true ? [] : process.execArgv), ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`${role} process exited with ${code}`));
      pending.clear();
      resolve();
    });
  });
  child.on('message', (msg: Answer | 'ready') => {
    if (msg === 'ready') return;
    const p = pending.get(msg.id);
    if (p === undefined) return;
    pending.delete(msg.id);
    if (msg.error !== undefined) p.reject(new Error(`${role}: ${msg.error}`));
    else p.resolve(msg.result);
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (msg: unknown) => {
      if (msg !== 'ready') return;
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${role} process exited with ${code} before it was ready`)));
  });
  return {
    pid: child.pid!,
    call<T>(op: string, args?: unknown): Promise<T> {
      if (exited) return Promise.reject(new Error(`${role} process has exited`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, op, args } satisfies Call);
      });
    },
    async stop() {
      if (exited) return;
      child.send({ id: 0, op: '__exit', args: undefined } satisfies Call);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
