/**
 * The gateway-overhead baseline: a bare `node:http` server that answers
 * `GET /flow/{id}` by making the same three dependent upstream calls the API makes for
 * `flow(id) { sourceConnections { baseConnection } }` (Flow Service multi-gets, same
 * query strings and headers) over an undici Pool, and returns the joined JSON.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const FS = '/data/foundation/flowservice';

export interface PassThrough {
  url: string;
  stop(): Promise<void>;
}

interface Items<T> {
  items?: T[];
}

interface FlowItem {
  id: string;
  name: string;
  state: string;
  sourceConnectionIds: string[];
}

export async function startPassThrough(options: {
  platformUrl: string;
  headers: Record<string, string>;
  connections: number;
}): Promise<PassThrough> {
  const pool = new Pool(options.platformUrl, { connections: options.connections, keepAliveTimeout: 10_000 });
  const headers = { accept: 'application/json', ...options.headers };
  const byIds = async <T>(collection: string, ids: readonly string[]): Promise<T[]> => {
    const res = await pool.request({
      method: 'GET',
      path: `${FS}/${collection}?property=${encodeURIComponent(`id==${ids.join(',')}`)}`,
      headers,
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`${collection}: ${res.statusCode}`);
    }
    return ((await res.body.json()) as Items<T>).items ?? [];
  };

  const flow = async (id: string) => {
    const [f] = await byIds<FlowItem>('flows', [id]);
    if (f === undefined) return null;
    const sources = await byIds<{ id: string; name: string; baseConnectionId?: string }>(
      'sourceConnections',
      f.sourceConnectionIds,
    );
    const baseIds = sources.flatMap((s) => (s.baseConnectionId === undefined ? [] : [s.baseConnectionId]));
    const bases = baseIds.length === 0 ? [] : await byIds<{ id: string; name: string }>('connections', baseIds);
    const baseById = new Map(bases.map((b) => [b.id, b]));
    return {
      id: f.id,
      name: f.name,
      state: f.state === 'enabled' ? 'ENABLED' : 'DISABLED',
      sourceConnections: sources.map((s) => {
        const b = s.baseConnectionId === undefined ? undefined : baseById.get(s.baseConnectionId);
        return { id: s.id, name: s.name, baseConnection: b === undefined ? null : { id: b.id, name: b.name } };
      }),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/flow\/([^/?]+)$/.exec(req.url ?? '');
    if (match === null) {
      res.writeHead(404).end();
      return;
    }
    const text = JSON.stringify({ data: { flow: await flow(decodeURIComponent(match[1]!)) } });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
    },
  };
}
