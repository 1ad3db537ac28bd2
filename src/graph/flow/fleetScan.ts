import type { Credentials } from '../../upstream/credentials.ts';
import type { FlowServiceClient } from '../../upstream/flowService/client.ts';
import type { FlowDto } from '../../upstream/flowService/types.ts';

/** The largest page Flow Service serves (CONTRACT §2.3). */
export const FLOW_SERVICE_PAGE = 100;
/**
 * Flows a range is sized for when there are fewer than `ranges` of them: a little under its
 * two first pages, so those two almost always meet and it takes one round trip.
 */
const RANGE_FILL = 180;
/** A gap expected to hold fewer flows than this is read from its oldest end only. */
const ONE_END = 70;

interface Page {
  items: FlowDto[];
  next: string | null;
}

/** `parts` starting points cutting [lo, hi) into parts of (nearly) equal width. */
function cut(lo: number, hi: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => lo + Math.floor((i * (hi - lo)) / parts));
}

/** The `property` filters of createdAt in [lo, hi); `hi` undefined is open. */
function createdAtRange(lo: number, hi: number | undefined): string[] {
  return hi === undefined ? [`createdAt>=${lo}`] : [`createdAt>=${lo}`, `createdAt<${hi}`];
}

/**
 * Every flow matching `property`, read as createdAt ranges in parallel instead of one page
 * after another, every page but a range's last one full.
 *
 * One round trip for the count, the oldest page and the newest flow. The span between them is
 * cut into ranges (the newest left open, so flows created since land in it), each read from
 * both ends at once: its oldest page (orderby createdAt) is complete below its last
 * createdAt, its newest page (orderby -createdAt) above its last, so what is left unread is
 * the gap between those two instants, read the same way, and so on until the two ends meet; a
 * gap expected (from the density of the pages around it) to fit in one page is read from one
 * end only. Each range is a chain of round trips and all of them run at once, so the tenant's
 * upstream connections stay busy and the scan takes about its requests divided by the
 * connections, plus the first round trip. The count only sizes the ranges: what a range holds
 * is what its reads return. An instant holding more than a page of flows is read by its
 * continuation tokens.
 *
 * A flow's createdAt never changes, so a flow present through the whole scan is in the answer
 * once: every read of a range returns each flow of it present at the time below (or above)
 * its last instant, the rest of the range is read later, and a flow read twice (at an instant
 * where two reads meet) is kept once. A flow created or deleted during the scan may or may not
 * be in the answer, and a changed one is in it once, before or after the change. Nothing is
 * kept across calls.
 */
export async function scanFleet(
  fs: FlowServiceClient,
  c: Credentials,
  property: readonly string[],
  /**
   * Ranges the createdAt span is cut into, each read from both ends at once: the tenant's
   * upstream connections, so with two reads per range a connection that frees always has a
   * read waiting for it while the ranges' next reads are worked out.
   */
  ranges: number,
): Promise<FlowDto[]> {
  const list = (
    range: readonly string[],
    orderby: string,
    continuationToken?: string,
    limit = FLOW_SERVICE_PAGE,
  ): Promise<Page> => fs.listFlows(c, { property: [...property, ...range], orderby, limit, continuationToken });
  const [count, oldest, newest] = await Promise.all([
    fs.countFlows(c, property),
    list([], 'createdAt'),
    list([], '-createdAt', undefined, 1),
  ]);
  const byId = new Map<string, FlowDto>();
  const take = (items: readonly FlowDto[]) => {
    for (const flow of items) byId.set(flow.id, flow);
  };
  take(oldest.items);
  if (oldest.next === null) return [...byId.values()];
  const from = oldest.items.at(-1)!.createdAt;
  // the newest range stays open: flows created since the first round trip land there
  const to = Math.max(newest.items[0]?.createdAt ?? from, from);

  /** Every flow at the one instant `at`: past a page, the continuation tokens are the only way on. */
  async function readInstant(at: number): Promise<void> {
    const range = createdAtRange(at, at + 1);
    for (let next: string | null | undefined; next !== null;) {
      const page = await list(range, 'createdAt', next);
      take(page.items);
      next = page.next === next ? null : page.next;
    }
  }

  /** Every flow of [lo, hi) (`hi` undefined: open), expected to hold about `expected`. */
  async function readGap(lo: number, hi: number | undefined, expected: number): Promise<void> {
    if (hi === lo + 1) return readInstant(lo);
    const range = createdAtRange(lo, hi);
    const end = hi ?? Math.max(to + 1, lo + 1);
    if (expected < ONE_END) {
      const page = await list(range, 'createdAt');
      take(page.items);
      if (page.next === null) return;
      const last = page.items.at(-1)!.createdAt;
      if (last === lo) {
        await Promise.all([readInstant(lo), readGap(lo + 1, hi, expected)]);
        return;
      }
      const density = page.items.length / Math.max(1, last - page.items[0]!.createdAt);
      return readGap(last, hi, density * Math.max(1, end - last));
    }
    const [up, down] = await Promise.all([list(range, 'createdAt'), list(range, '-createdAt')]);
    take(up.items);
    take(down.items);
    if (up.next === null || down.next === null) return;
    const a = up.items.at(-1)!.createdAt; // complete below
    const b = down.items.at(-1)!.createdAt; // complete above
    if (a > b) return;
    if (a === lo && b + 1 === hi) {
      // both ends are instants of more than a page each
      await Promise.all([readInstant(lo), readInstant(b), b > lo + 1 ? readGap(lo + 1, b, 0) : undefined]);
      return;
    }
    const spans = a - up.items[0]!.createdAt + (down.items[0]!.createdAt - b);
    const density = (up.items.length + down.items.length) / Math.max(1, spans);
    return readGap(a, b + 1, density * (b + 1 - a));
  }

  const remaining = Math.max(0, count - oldest.items.length);
  const parts = Math.max(1, Math.min(ranges, Math.ceil(remaining / RANGE_FILL), to - from + 1));
  const starts = cut(from, to + 1, parts);
  await Promise.all(starts.map((lo, i) => readGap(lo, starts[i + 1], Math.max(1, remaining / parts))));
  return [...byId.values()];
}
