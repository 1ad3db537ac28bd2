import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { startStack, type Stack } from './harness.ts';
import { chromiumAvailable, isLocalUrl, useChromium } from './browser.ts';

const EXPLORER_ENV = { LANDING_PAGE: 'true', INTROSPECTION: 'true' };
const BROWSER_TEST_MS = 90_000;

/** The README's dashboard query, on one line: typed into an editor that indents and closes brackets itself. */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const dashboard = /```graphql\n(query Dashboard \{[\s\S]*?)```/.exec(readme)?.[1];
if (dashboard === undefined) throw new Error('README.md has no Dashboard query');
const DASHBOARD = dashboard.replace(/\s+/g, ' ').trim();

function html(url: string): Promise<Response> {
  return fetch(url, { headers: { accept: 'text/html' } });
}

describe('the explorer over HTTP', () => {
  let stack: Stack;
  let origin: string;
  beforeAll(async () => {
    stack = await startStack({ env: EXPLORER_ENV });
    origin = new URL(stack.api.url).origin;
  });
  afterAll(() => stack.stop());

  it("serves Apollo Sandbox at / with a fallback to /graphiql when Sandbox's script fails or is late", async () => {
    const res = await html(`${origin}/`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toMatch(/<script nonce="[0-9a-f]+" src="[^"]*embeddable-sandbox[^"]*"><\/script>/);
    expect(page).toContain('window.location.replace("/graphiql")');
    expect(page).toContain('setTimeout(openGraphiQL, 4000)');
    expect(page).toContain('if (window.EmbeddedSandbox) new window.EmbeddedSandbox(');
  });

  it('serves GraphiQL at /graphiql with every asset it names, none from another host', async () => {
    const res = await html(`${origin}/graphiql`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(['/graphiql/graphiql.css', '/graphiql/graphiql.js']);
    const types: Record<string, string> = {};
    for (const path of [
      ...assets,
      '/graphiql/editor.worker.js',
      '/graphiql/graphql.worker.js',
      '/graphiql/json.worker.js',
    ]) {
      const asset = await fetch(origin + path);
      expect(asset.status, path).toBe(200);
      types[path] = asset.headers.get('content-type')!;
      expect((await asset.arrayBuffer()).byteLength, path).toBeGreaterThan(1000);
    }
    expect(types).toEqual({
      '/graphiql/graphiql.css': 'text/css; charset=utf-8',
      '/graphiql/graphiql.js': 'text/javascript; charset=utf-8',
      '/graphiql/editor.worker.js': 'text/javascript; charset=utf-8',
      '/graphiql/graphql.worker.js': 'text/javascript; charset=utf-8',
      '/graphiql/json.worker.js': 'text/javascript; charset=utf-8',
    });
  });

  it('answers 404 for a file the build did not write, and for paths that climb out of it', async () => {
    for (const path of ['/graphiql/nope.js', '/graphiql/../package.json', '/graphiql/%2e%2e/package.json'])
      expect((await fetch(origin + path)).status, path).toBe(404);
  });
});

describe('the explorer with LANDING_PAGE=false', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { LANDING_PAGE: 'false' } });
  });
  afterAll(() => stack.stop());

  it('serves neither Sandbox nor GraphiQL', async () => {
    const origin = new URL(stack.api.url).origin;
    const landing = await html(`${origin}/`);
    expect(await landing.text()).not.toContain('EmbeddedSandbox');
    expect((await html(`${origin}/graphiql`)).status).toBe(404);
    expect((await fetch(`${origin}/graphiql/graphiql.js`)).status).toBe(404);
  });
});

/** Every request to a host other than the loopback is refused as if offline, and recorded. */
async function offline(context: BrowserContext): Promise<string[]> {
  const refused: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) return route.continue();
    refused.push(url);
    return route.abort('internetdisconnected');
  });
  return refused;
}

describe.skipIf(!chromiumAvailable('the explorer browser tests'))('the explorer in headless Chromium', () => {
  let stack: Stack;
  let origin: string;
  beforeAll(async () => {
    // a fallback timeout no test waits for: offline, the script's load error opens GraphiQL
    stack = await startStack({
      emulator: { demo: true },
      env: { ...EXPLORER_ENV, EXPLORER_SANDBOX_TIMEOUT_MS: '60000' },
    });
    origin = new URL(stack.api.url).origin;
  });
  const inContext = useChromium();
  afterAll(() => stack.stop());

  it(
    "offline, / opens GraphiQL, which runs the README's dashboard query",
    async () => {
      await inContext(async (context) => {
        const refused = await offline(context);
        const page = await context.newPage();
        await page.goto(`${origin}/`, { waitUntil: 'commit' });
        await page.waitForURL(`${origin}/graphiql`);
        // Sandbox was tried first
        expect(refused.some((url) => url.includes('embeddable-sandbox'))).toBe(true);

        const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
        await editor.click();
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Delete');
        await page.keyboard.insertText(DASHBOARD);
        await page.getByRole('button', { name: /Execute query/ }).click();

        const result = page.locator('.result-window .view-lines');
        await expect
          .poll(async () => (await result.innerText()).includes('"totalCount"'), { timeout: 60_000 })
          .toBe(true);
        const shown = (await result.innerText()).replace(/\u00a0/g, ' ');
        const expected = await stack.gql(DASHBOARD);
        expect(expected.errors).toBeUndefined();
        const flows = expected.data.flows;
        expect(flows.totalCount).toBeGreaterThan(0);
        expect(shown).toContain(`"totalCount": ${flows.totalCount}`);
        expect(shown).toContain(`"id": "${flows.nodes[0].id}"`);
        expect(shown).not.toContain('"errors"');
      });
    },
    BROWSER_TEST_MS,
  );

  it(
    'GraphiQL asks nothing of another host: its scripts, styles, workers and fonts come from the API',
    async () => {
      await inContext(async (context) => {
        const refused = await offline(context);
        const local: string[] = [];
        context.on('request', (request) => local.push(new URL(request.url()).pathname));
        const page = await context.newPage();
        await page.goto(`${origin}/graphiql`);
        // the schema arrived (introspection): the docs open Query and list its fields
        await page.getByRole('button', { name: /Show Documentation Explorer/i }).click();
        await page
          .locator('a.graphiql-doc-explorer-type-name')
          .filter({ hasText: /^Query$/ })
          .first()
          .click();
        await expect
          .poll(() => page.locator('.graphiql-doc-explorer-field-name').allInnerTexts(), { timeout: 60_000 })
          .toEqual(expect.arrayContaining(['flows', 'fleetHealth', 'datasets']));
        // typing starts the GraphQL language worker
        await page.locator('.graphiql-query-editor .monaco-editor').first().click();
        await page.keyboard.insertText('{ flows { totalCount } }');
        expect(refused).toEqual([]);
        await expect
          .poll(() => local, { timeout: 60_000 })
          .toEqual(
            expect.arrayContaining([
              '/graphiql',
              '/graphiql/graphiql.js',
              '/graphiql/graphiql.css',
              '/graphiql/editor.worker.js',
              '/graphiql/graphql.worker.js',
              '/graphql',
            ]),
          );
        expect(refused).toEqual([]);
      });
    },
    BROWSER_TEST_MS,
  );

  it(
    "online, / stays on Apollo Sandbox: Sandbox's script is loaded and given the API's endpoint",
    async () => {
      await inContext(async (context) => {
        // stands in for Apollo's CDN: a Sandbox that records how it was started
        await context.route(/embeddable-sandbox/, (route) =>
          route.fulfill({
            contentType: 'text/javascript',
            body: 'window.EmbeddedSandbox = function (config) { document.body.dataset.sandboxEndpoint = config.initialEndpoint; };',
          }),
        );
        await context.route(/^https:\/\/(?!embeddable-sandbox)/, (route) => route.abort('internetdisconnected'));
        const page = await context.newPage();
        await page.goto(`${origin}/`);
        await expect.poll(() => page.locator('body').getAttribute('data-sandbox-endpoint')).toBe(`${origin}/`);
        expect(new URL(page.url()).pathname).toBe('/');
      });
    },
    BROWSER_TEST_MS,
  );
});

describe.skipIf(!chromiumAvailable('the explorer browser tests'))('the explorer when the CDN does not answer', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ...EXPLORER_ENV, EXPLORER_SANDBOX_TIMEOUT_MS: '0' } });
  });
  const inContext = useChromium();
  afterAll(() => stack.stop());

  it(
    "opens GraphiQL once EXPLORER_SANDBOX_TIMEOUT_MS has passed without Sandbox's script",
    async () => {
      await inContext(async (context) => {
        // the script's request is never answered, as behind a firewall that drops packets
        await context.route(/embeddable-sandbox/, () => undefined);
        await context.route(/^https:\/\/(?!embeddable-sandbox)/, (route) => route.abort('internetdisconnected'));
        const page = await context.newPage();
        const origin = new URL(stack.api.url).origin;
        await page.goto(`${origin}/`, { waitUntil: 'commit' });
        await page.waitForURL(`${origin}/graphiql`);
      });
    },
    BROWSER_TEST_MS,
  );
});
