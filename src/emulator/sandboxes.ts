/**
 * The sandboxes each org has. An org whose sandboxes were declared has only those, and every
 * platform service answers any other `x-sandbox-name` as the Platform answers a sandbox the
 * org does not have (404, CONTRACT §1.3); an org never declared keeps the emulator's open
 * behaviour (every name is an empty sandbox of its own), like a client with no entitlement.
 */
export class Sandboxes {
  readonly #orgs = new Map<string, Set<string>>();

  /** Replaces the sandboxes of `org` (names are lowercase, as the gateway reads them). */
  declare(org: string, sandboxes: readonly string[]): void {
    this.#orgs.set(org, new Set(sandboxes.map((s) => s.toLowerCase())));
  }

  /** Adds one sandbox to an org that has declared ones; an open org has it already. */
  add(org: string, sandbox: string): void {
    this.#orgs.get(org)?.add(sandbox.toLowerCase());
  }

  has(org: string, sandbox: string): boolean {
    return this.#orgs.get(org)?.has(sandbox) ?? true;
  }

  clear(): void {
    this.#orgs.clear();
  }

  toJSON(): Record<string, string[]> {
    return Object.fromEntries([...this.#orgs].map(([org, names]) => [org, [...names].sort()]));
  }
}
