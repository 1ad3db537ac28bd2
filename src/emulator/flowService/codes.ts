/**
 * Flow Service error codes (`FLOW-{code}-{status}`), from the documented error catalog
 * (CONTRACT §1.5, §2.3, §2.4, §2.6, §9.1). `BAD_REQUEST` is [EMU]: the docs name no code
 * for plain field validation, so every such 400 uses it with a message naming the field.
 */
export const FLOW_CODES = {
  /** "Error from flow provider": the source refused an explore or test request. */
  PROVIDER_REJECTED: 1100,
  /** The source has no such path or table. */
  PROVIDER_NOT_FOUND: 1101,
  BAD_REQUEST: 1400,
  LIMIT_WITH_COUNT: 1401,
  IF_MATCH_MISSING: 1403,
  IF_MATCH_STALE: 1404,
  STATE_ON_CREATE: 1410,
  MAPPING_VERSION_INVALID: 1412,
  SPEC_INVALID: 1413,
  SPEC_CHANGE: 1414,
  AUTH_SPEC_INVALID: 1415,
  BASE_CONNECTION_IN_USE: 1418,
  MAPPING_INVALID: 1419,
  ACTION_NOT_APPLICABLE: 1422,
  SCHEMA_MISMATCH: 1425,
  FLOW_NOT_FOUND_FOR_RUN: 1430,
  ORDERBY_SIGN: 1432,
  ORDERBY_FIELD: 1433,
  PATCH_OP: 1434,
  SUB_OP: 1436,
  NOT_FOUND: 1439,
  OPERATOR_NOT_IMPLEMENTED: 1440,
  RANGE_WITH_LIST: 1443,
  FLOW_ID_REQUIRED: 1446,
  RANGE_ON_ID: 1448,
  OPERATOR_INVALID: 1450,
  QUERY_PARAM_INVALID: 1451,
  VALUE_INVALID: 1452,
  VALUE_EMPTY: 1453,
  PATCH_PATH: 1455,
} as const;
