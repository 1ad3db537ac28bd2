/**
 * Bundles the self-hosted explorer (explorer/graphiql.ts: GraphiQL with Monaco and its language
 * workers) into dist/explorer/, which the API serves at /graphiql: nothing is loaded from elsewhere.
 * `npm ci` runs it (the `prepare` script); `npm run build:explorer` runs it again.
 */
import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

const outdir = fileURLToPath(new URL('../dist/explorer/', import.meta.url));
const common: BuildOptions = {
  outdir,
  bundle: true,
  minify: true,
  target: 'es2022',
  legalComments: 'linked',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};

await Promise.all([
  // the page: a module script (it finds its workers through import.meta.url) and its stylesheet
  build({
    ...common,
    entryPoints: { graphiql: fileURLToPath(new URL('graphiql.ts', import.meta.url)) },
    format: 'esm',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
  }),
  // Monaco's workers, classic scripts so that any browser with workers starts them
  build({
    ...common,
    entryPoints: {
      'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
      'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
      'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
    },
    format: 'iife',
  }),
]);
