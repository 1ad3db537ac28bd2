import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/**
 * Headless Chromium for the browser tests: Debian's `chromium` (`apt-get install -y chromium`;
 * .ci/run installs it), driven by playwright-core. Never a browser downloaded by playwright.
 */
function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

const executablePath = findOnPath('chromium');
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

/**
 * Whether the browser tests can run. Outside CI a missing chromium skips them with a one-line
 * notice; in CI (`CI=true`) they must run, so a missing chromium fails them.
 */
export function chromiumAvailable(suite: string): boolean {
  if (executablePath !== undefined || inCi) return true;
  console.warn(`skipping ${suite}: chromium is not installed (apt-get install -y chromium)`);
  return false;
}

/**
 * One headless Chromium for the suite it is called in: launched before its tests, closed after
 * them. The returned function runs `use` in a fresh browser context (its own storage, routes
 * and pages), closed when `use` ends.
 */
export function useChromium(): <T>(use: (context: BrowserContext) => Promise<T>) => Promise<T> {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return async (use) => {
    if (browser === undefined) throw new Error('chromium did not start');
    const context = await browser.newContext();
    try {
      return await use(context);
    } finally {
      await context.close();
    }
  };
}

async function launchChromium(): Promise<Browser> {
  if (executablePath === undefined)
    throw new Error('chromium is not on PATH: the browser tests need it (apt-get install -y chromium)');
  // root in CI and containers: Chromium's own sandbox needs user namespaces it may not get
  return chromium.launch({ executablePath, headless: true, chromiumSandbox: false });
}

/** Loopback hosts: everything else is "the internet" to a test that runs offline. */
export function isLocalUrl(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}
