import { EmulatorHttpError, dataPrepError } from '../errors.ts';
import type { Router } from '../router.ts';
import {
  createMappingSet,
  getMapping,
  getMappingSet,
  listMappingSets,
  listMappings,
  replaceMappingSet,
} from './mappingSets.ts';
import { parseMappingSetBody } from './mappingSetBody.ts';
import { previewMappingSet } from './preview.ts';
import { checkMappings, validationResponse } from './validate.ts';
import { DATA_PREP_BASE_PATH } from '../../upstream/dataPrep/wire.ts';

/**
 * The real base path, and the one two streaming tutorials call by mistake (missing
 * `/conversion`, §1.1, §11 #26); the client must not rely on the second.
 */
const BASES = [DATA_PREP_BASE_PATH, DATA_PREP_BASE_PATH.replace(/\/conversion$/, '')] as const;

/** Data Prep (Conversion) mapping sets, §5. There is no DELETE upstream: it answers 405. */
export function registerDataPrep(router: Router): void {
  for (const base of BASES) {
    const sets = `${base}/mappingSets`;
    router
      .add('dataPrep', 'GET', sets, listMappingSets)
      .add('dataPrep', 'POST', sets, createMappingSet)
      .add('dataPrep', 'POST', `${sets}/validate`, (ctx) => {
        const { verdicts } = checkMappings(ctx.part, parseMappingSetBody(ctx.body));
        return { status: 200, body: validationResponse(verdicts) };
      })
      .add('dataPrep', 'POST', `${sets}/preview`, previewMappingSet)
      .add('dataPrep', 'GET', `${sets}/:id`, getMappingSet)
      .add('dataPrep', 'PUT', `${sets}/:id`, replaceMappingSet)
      .add('dataPrep', 'DELETE', `${sets}/:id`, () => {
        const err = dataPrepError(405, 1405, 'Mapping sets cannot be deleted');
        throw new EmulatorHttpError(405, err.body, { allow: 'GET, PUT' });
      })
      .add('dataPrep', 'GET', `${sets}/:id/mappings`, listMappings)
      .add('dataPrep', 'GET', `${sets}/:id/mappings/:mappingId`, getMapping);
  }
}
