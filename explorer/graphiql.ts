/**
 * The self-hosted explorer: GraphiQL over this API's /graphql, bundled by explorer/build.ts into
 * dist/explorer/ so that every script, style, worker and font is served by the API itself.
 */
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';

// Monaco's language workers, bundled beside this script (see build.ts)
const workers: Record<string, string> = { json: 'json.worker.js', graphql: 'graphql.worker.js' };
window.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    return new Worker(new URL(workers[label] ?? 'editor.worker.js', import.meta.url));
  },
};

const root = document.getElementById('graphiql');
if (root === null) throw new Error('the page has no #graphiql element');
const endpoint = new URL(root.dataset.endpoint ?? '/graphql', window.location.href).href;
createRoot(root).render(createElement(GraphiQL, { fetcher: createGraphiQLFetcher({ url: endpoint }) }));
