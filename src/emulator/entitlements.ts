/**
 * The orgs each IMS client's tokens are entitled to. A client with no grant keeps the
 * emulator's open behaviour (any org); once granted, its tokens reach only those orgs and
 * the gateway answers 403 `403025` for any other (CONTRACT §1.3).
 */
export class Entitlements {
  readonly #orgs = new Map<string, Set<string>>();

  /** Replaces the orgs of `clientId`. */
  grant(clientId: string, orgs: readonly string[]): void {
    this.#orgs.set(clientId, new Set(orgs));
  }

  allows(clientId: string, org: string): boolean {
    return this.#orgs.get(clientId)?.has(org) ?? true;
  }

  clear(): void {
    this.#orgs.clear();
  }

  toJSON(): Record<string, string[]> {
    return Object.fromEntries([...this.#orgs].map(([clientId, orgs]) => [clientId, [...orgs].sort()]));
  }
}
