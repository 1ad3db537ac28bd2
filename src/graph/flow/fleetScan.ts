import type { Credentials } from '../../upstream/credentials.ts';
import type { FlowServiceClient } from '../../upstream/flowService/client.ts';
import type { FlowDto } from '../../upstream/flowService/types.ts';

/** The largest page Flow Service serves (CONTRACT §2.3). */
const PAGE = 100;
/**
 * Flows each createdAt slice is sized for: below a page, so a slice that grew a little
 * while the scan ran is still read in one request.
 */
const SLICE_TARGET = 80;
/** The most parts a slice that overflowed its page is cut into, all read at once. */
const SPLIT = 4;

/**
 * Every flow matching `property`, read as createdAt ranges in parallel instead of one page
 * after another: one round trip for the count, the oldest page and the newest flow; then one
 * request per slice of the createdAt span, each sized to fit one page; a slice that no longer
 * fits (flows were created meanwhile, or the fleet is bunched in time) has its rest cut into
 * parts read at once, as many as its first page's density of flows says the rest holds. A flow's createdAt never changes, so a flow present through the whole scan lies in
 * exactly one range and is read exactly once; a flow created or deleted during the scan may
 * or may not be in the answer, and a changed one is in it once, before or after the change.
 * Nothing is kept across calls.
 */
export async function scanFleet(
  fs: FlowServiceClient,
  c: Credentials,
  property: readonly string[],
): Promise<FlowDto[]> {
  const list = (range: readonly string[], orderby: string, limit: number, continuationToken?: string) =>
    fs.listFlows(c, { property: [...property, ...range], orderby, limit, continuationToken });
  const [count, oldest, newest] = await Promise.all([
    fs.countFlows(c, property),
    list([], 'createdAt', PAGE),
    list([], '-createdAt', 1),
  ]);
  if (oldest.next === null) return oldest.items;
  // the oldest page is complete below its last createdAt; flows at that instant are read again with the rest
  const from = oldest.items.at(-1)!.createdAt;
  const found = oldest.items.filter((f) => f.createdAt < from);
  const to = Math.max(newest.items[0]?.createdAt ?? from, from);
  const slices = Math.max(1, Math.min(Math.ceil((count - found.length) / SLICE_TARGET), to - from + 1));
  const bounds = Array.from({ length: slices }, (_, i) => from + Math.floor((i * (to - from + 1)) / slices));

  /** Flows with createdAt in [lo, hi); `hi` undefined is open, so flows created during the scan can land there. */
  const readRange = async (lo: number, hi: number | undefined): Promise<FlowDto[]> => {
    const range = hi === undefined ? [`createdAt>=${lo}`] : [`createdAt>=${lo}`, `createdAt<${hi}`];
    const page = await list(range, 'createdAt', PAGE);
    if (page.next === null) return page.items;
    const last = page.items.at(-1)!.createdAt;
    if (last === lo) return [...page.items, ...(await followTokens(range, page.next))];
    // complete below `last`; [last, hi) is cut into parts read at once, as many as the page's
    // density of flows says it holds (each part is a request, and a tenant's requests queue)
    const head = page.items.filter((f) => f.createdAt < last);
    const end = hi ?? Math.max(to + 1, last + 1);
    const expected = (page.items.length * (end - last)) / Math.max(1, last - lo);
    const parts = Math.max(1, Math.min(SPLIT, Math.ceil(expected / SLICE_TARGET), end - last));
    const cuts = Array.from({ length: parts }, (_, i) => last + Math.floor((i * (end - last)) / parts));
    const rest = await Promise.all(
      cuts.map((cut, i) => readRange(cut, i + 1 < parts ? cuts[i + 1] : hi === undefined ? undefined : end)),
    );
    return [...head, ...rest.flat()];
  };
  /** Flows that share one createdAt past a page: the continuation tokens are the only way on. */
  const followTokens = async (range: readonly string[], token: string): Promise<FlowDto[]> => {
    const items: FlowDto[] = [];
    for (let next: string | null = token; next !== null;) {
      const page = await list(range, 'createdAt', PAGE, next);
      items.push(...page.items);
      next = page.next === next ? null : page.next;
    }
    return items;
  };

  const parts = await Promise.all(bounds.map((lo, i) => readRange(lo, bounds[i + 1])));
  const byId = new Map<string, FlowDto>(found.map((f) => [f.id, f]));
  for (const flow of parts.flat()) byId.set(flow.id, flow);
  return [...byId.values()];
}
