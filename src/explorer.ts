import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';

/** Where explorer/build.ts puts the bundled GraphiQL (`npm ci` builds it; `npm run build:explorer` again). */
const ASSET_DIR = fileURLToPath(new URL('../dist/explorer/', import.meta.url));
export const GRAPHIQL_PATH = '/graphiql';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

const GRAPHIQL_PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width,initial-scale=1" />
    <title>ingestion-graph · GraphiQL</title>
    <link rel="stylesheet" href="${GRAPHIQL_PATH}/graphiql.css" />
    <style>
      body { margin: 0; }
      #graphiql { height: 100vh; }
    </style>
  </head>
  <body>
    <div id="graphiql" data-endpoint="/graphql">Loading GraphiQL…</div>
    <script type="module" src="${GRAPHIQL_PATH}/graphiql.js"></script>
  </body>
</html>
`;

/**
 * The self-hosted GraphiQL: its page at /graphiql and its bundled assets at /graphiql/<file>,
 * all from dist/explorer/; nothing the page needs comes from another host. Only the files the
 * build wrote are served (the list is read once), so no path reaches outside that folder.
 */
export function createExplorerRoutes(): (pathname: string, res: ServerResponse) => boolean {
  const assets = new Map<string, string>();
  if (existsSync(ASSET_DIR))
    for (const name of readdirSync(ASSET_DIR)) {
      const path = join(ASSET_DIR, name);
      if (statSync(path).isFile()) assets.set(name, path);
    }
  return (pathname, res) => {
    if (pathname === GRAPHIQL_PATH || pathname === `${GRAPHIQL_PATH}/`) {
      if (!assets.has('graphiql.js')) {
        res
          .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
          .end('The self-hosted explorer is not built: run `npm run build:explorer` and restart the API.\n');
        return true;
      }
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' })
        .end(GRAPHIQL_PAGE);
      return true;
    }
    if (!pathname.startsWith(`${GRAPHIQL_PATH}/`)) return false;
    const asset = assets.get(pathname.slice(GRAPHIQL_PATH.length + 1));
    if (asset === undefined) return false;
    const type = CONTENT_TYPES[extname(asset)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
    createReadStream(asset).pipe(res);
    return true;
  };
}

const SANDBOX_SCRIPT = /<script nonce="([^"]+)" src="[^"]*embeddable-sandbox[^"]*"><\/script>/;
const SANDBOX_CONSTRUCTOR = 'new window.EmbeddedSandbox(';

/**
 * Apollo Sandbox from Apollo's CDN, as Apollo's local landing page serves it, with a way out when
 * the CDN cannot be reached: if Sandbox's script fails to load, or has not loaded after
 * `timeoutMs`, the page opens the self-hosted GraphiQL instead.
 */
export function landingPageWithFallback(timeoutMs: number): ApolloServerPlugin {
  const sandbox = ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false });
  return {
    async serverWillStart(service) {
      const listener = await sandbox.serverWillStart?.(service);
      if (listener?.renderLandingPage === undefined) throw new Error("Apollo's landing page plugin rendered no page");
      const render = () => listener.renderLandingPage!();
      const htmlOf = async (page: Awaited<ReturnType<typeof render>>) =>
        typeof page.html === 'string' ? page.html : await page.html();
      // checked once at start: a page that cannot take the fallback stops the server, not a visitor
      withFallback(await htmlOf(await render()), timeoutMs);
      return {
        async renderLandingPage() {
          const page = await render();
          return {
            html: async () => withFallback(await htmlOf(page), timeoutMs),
          };
        },
      };
    },
  };
}

function withFallback(html: string, timeoutMs: number): string {
  const script = SANDBOX_SCRIPT.exec(html);
  // a new @apollo/server whose page has another shape: fail loudly rather than strand offline users
  if (script === null || !html.includes(SANDBOX_CONSTRUCTOR))
    throw new Error("Apollo Sandbox's landing page changed shape: the GraphiQL fallback cannot be added to it");
  const fallback = `<script nonce="${script[1]!}">
  (function () {
    function openGraphiQL() {
      if (!window.EmbeddedSandbox) window.location.replace(${JSON.stringify(GRAPHIQL_PATH)});
    }
    window.addEventListener('error', function (event) {
      var target = event.target;
      if (target && target.tagName === 'SCRIPT' && /embeddable-sandbox/.test(target.src)) openGraphiQL();
    }, true);
    setTimeout(openGraphiQL, ${timeoutMs});
  })();
</script>
`;
  return html
    .replace(script[0], fallback + script[0])
    .replace(SANDBOX_CONSTRUCTOR, `if (window.EmbeddedSandbox) ${SANDBOX_CONSTRUCTOR}`);
}
