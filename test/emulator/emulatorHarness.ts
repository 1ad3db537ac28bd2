import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/server.ts';
import { observeContract } from '../contract/contractRecorder.ts';

export const DOC_ORG = '5C1328435BF324E90A49402A@AdobeOrg';
export const API_KEY = 'test-client';

export interface CallOptions {
  body?: unknown;
  /** Sent as-is, with no JSON content type added. */
  rawBody?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string | undefined>;
}

export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export type Call = <T = any>(method: string, path: string, options?: CallOptions) => Promise<CallResult<T>>;

export interface TestEmulator {
  emu: Emulator;
  url: string;
  /** A fresh IMS token for `clientId`. */
  token(clientId?: string): Promise<string>;
  /** A caller with valid platform headers for an org and sandbox. */
  platform(options?: { org?: string; sandbox?: string; clientId?: string }): Promise<Call>;
  /** A caller that sends exactly the headers it is given. */
  raw: Call;
  requests(): Promise<
    Array<{ method: string; path: string; query: string; status: number; org: string | null; sandbox: string | null }>
  >;
  stop(): Promise<void>;
}

function queryString(query: CallOptions['query']): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

function makeCall(url: string, baseHeaders: Record<string, string>): Call {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...baseHeaders };
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    for (const [k, v] of Object.entries(options.headers ?? {})) {
      if (v === undefined) delete headers[k];
      else headers[k] = v;
    }
    const res = await fetch(url + path + queryString(options.query), { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // non-JSON bodies are returned as text
    }
    return { status: res.status, headers: res.headers, body: parsed as any };
  };
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator({ runScheduler: false, observe: observeContract, ...options });
  const raw = makeCall(emu.url, {});
  const token = async (clientId = API_KEY) => {
    const res = await fetch(`${emu.url}/ims/token/v3`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: 'test-secret',
        scope: 'openid,AdobeID,read_organizations',
      }),
    });
    const json = (await res.json()) as { access_token: string };
    return json.access_token;
  };
  return {
    emu,
    url: emu.url,
    token,
    raw,
    async platform({ org = DOC_ORG, sandbox = 'prod', clientId = API_KEY } = {}) {
      const accessToken = await token(clientId);
      return makeCall(emu.url, {
        authorization: `Bearer ${accessToken}`,
        'x-api-key': clientId,
        'x-gw-ims-org-id': org,
        'x-sandbox-name': sandbox,
      });
    },
    async requests() {
      const res = await fetch(`${emu.url}/__emulator/requests`);
      return (await res.json()) as any;
    },
    stop: () => emu.stop(),
  };
}
