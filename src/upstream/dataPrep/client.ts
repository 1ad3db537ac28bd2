import type { Credentials } from '../credentials.ts';
import type { HttpTransport } from '../http.ts';
import { ServiceHttp, segment } from '../serviceHttp.ts';
import type {
  CreatedMappingSetDto,
  CreateMappingSetDto,
  MappingSetDto,
  MappingSetListDto,
  ValidationResponseDto,
} from './types.ts';
import { DATA_PREP_BASE_PATH } from './wire.ts';

type C = Credentials;

export interface MappingSetListOptions {
  /** Required by the service. */
  limit: number;
  /** Required by the service; 0-based. */
  start: number;
  name?: string;
  /** `+createdDate`, `-createdDate`, `+updatedDate`, `-updatedDate`. */
  orderBy?: string;
}

/** Data Prep (`/data/foundation/conversion`). No multi-get (§8); lookups resolve `null` on 404. */
export class DataPrepClient {
  readonly #http: ServiceHttp;

  constructor(options: { transport: HttpTransport; baseUrl: string }) {
    this.#http = new ServiceHttp(
      options.transport,
      'dataPrep',
      options.baseUrl.replace(/\/+$/, '') + DATA_PREP_BASE_PATH,
    );
  }

  /** The latest version unless `version` is given. */
  getMappingSet(c: C, id: string, options: { version?: number } = {}): Promise<MappingSetDto | null> {
    const version = options.version === undefined ? undefined : String(options.version);
    return this.#http.find<MappingSetDto>(c, `/mappingSets/${segment(id)}`, { version });
  }

  listMappingSets(c: C, options: MappingSetListOptions): Promise<MappingSetListDto> {
    return this.#http.get<MappingSetListDto>(c, '/mappingSets', {
      limit: String(options.limit),
      start: String(options.start),
      name: options.name,
      orderBy: options.orderBy,
    });
  }

  /** Answers 200 (not 201) with the id and version 0 (§5.1). */
  createMappingSet(c: C, body: CreateMappingSetDto): Promise<CreatedMappingSetDto> {
    return this.#http.send<CreatedMappingSetDto>(c, 'POST', '/mappingSets', body);
  }

  /** One `validationResponse` entry per mapping, in order. */
  validateMappingSet(c: C, body: CreateMappingSetDto): Promise<ValidationResponseDto> {
    return this.#http.send<ValidationResponseDto>(c, 'POST', '/mappingSets/validate', body);
  }
}
