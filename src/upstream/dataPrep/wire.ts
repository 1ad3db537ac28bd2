/** Data Prep wire rules shared by the client and the emulator. Pure. */

/** `/conversion`, never the `/conversation` typo nor the bare `/mappingSets` of some tutorials (§1.1). */
export const DATA_PREP_BASE_PATH = '/data/foundation/conversion';
