import type { Credentials } from '../credentials.ts';
import type { HttpTransport } from '../http.ts';
import { ServiceHttp, segment } from '../serviceHttp.ts';
import type { BatchCollectionResponseDto, CollectionResponseDto, XdmMessageDto } from './types.ts';
import { FLOW_ID_HEADER, batchPath, messagePath } from './wire.ts';

/** An XDM message, or raw JSON that the flow's mapping set turns into XDM. */
export type StreamingMessage = XdmMessageDto | Record<string, unknown>;

export interface SendMessageOptions {
  /** Validate against the schema before answering; ≤60 requests/min per inlet, single messages only (§6.2). */
  syncValidation?: boolean;
  /** Raw-data inlets: the flow to route through, sent as `x-adobe-flow-id`. */
  flowId?: string;
}

/**
 * Streaming collection (DCS), base URL = the collection origin (`https://dcs.adobedc.net`).
 * Credentials are needed only for authenticated inlets; pass `null` otherwise.
 */
export class StreamingClient {
  readonly #http: ServiceHttp;

  constructor(options: { transport: HttpTransport; baseUrl: string }) {
    this.#http = new ServiceHttp(options.transport, 'streaming', options.baseUrl);
  }

  async sendMessage(
    c: Credentials | null,
    inletId: string,
    message: StreamingMessage,
    options: SendMessageOptions = {},
  ): Promise<CollectionResponseDto> {
    const res = await this.#http.call<CollectionResponseDto>(c, 'POST', messagePath(segment(inletId)), {
      query: { syncValidation: options.syncValidation === true ? 'true' : undefined },
      headers: options.flowId === undefined ? {} : { [FLOW_ID_HEADER]: options.flowId },
      body: message,
    });
    return res.body;
  }

  /**
   * `POST /collection/batch/{inletId}`: 207 with one result per message, same order, for
   * full success, partial success and full failure alike — inspect `responses`.
   */
  async sendBatch(
    c: Credentials | null,
    inletId: string,
    messages: readonly StreamingMessage[],
  ): Promise<BatchCollectionResponseDto> {
    const res = await this.#http.call<BatchCollectionResponseDto>(c, 'POST', batchPath(segment(inletId)), {
      body: { messages },
      expect: [207, 200],
    });
    return res.body;
  }

  /** `sendBatch` for raw-data inlets, which name the flow to route through in `x-adobe-flow-id` (§6.2). */
  async sendBatchForFlow(
    c: Credentials | null,
    inletId: string,
    flowId: string,
    messages: readonly StreamingMessage[],
  ): Promise<BatchCollectionResponseDto> {
    const res = await this.#http.call<BatchCollectionResponseDto>(c, 'POST', batchPath(segment(inletId)), {
      headers: { [FLOW_ID_HEADER]: flowId },
      body: { messages },
      expect: [207, 200],
    });
    return res.body;
  }
}
