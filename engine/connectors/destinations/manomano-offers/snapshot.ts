/**
 * The delta state: the last price and stock ManoMano confirmed per SKU, for one environment and
 * contract (the scope), kept in the state store. A run reads only the SKUs it touches, batch by
 * batch, and each batch ManoMano confirmed is written at once (one transaction), so a run
 * interrupted half-way keeps what was confirmed and a re-run sends only the rest. Runs of one
 * scope never overlap: the destination holds the scope's lock for the whole run and every
 * confirm is fenced by it.
 */
import type { ConfirmedOffer, KnownOffer, Lease, StateStore } from '../../../state/store.js';

export type { KnownOffer } from '../../../state/store.js';

/** Why: the lock name of an offers run of one scope, for the destination and for messages. */
export function offersLockName(scope: string): string {
  return `offers:${scope}`;
}

/** Why: delta sending and safety limits both compare against what ManoMano accepted last. */
export class OfferSnapshot {
  /** `scope` is `<environment>-<contract id>`: a local test never feeds the production delta. */
  constructor(private readonly store: StateStore, readonly scope: string) {}

  /** Where it is kept, for the summary. */
  get location(): string {
    return `${this.store.location} (offers ${this.scope})`;
  }

  /** The known values of these SKUs (absent: never confirmed). */
  load(skus: readonly string[]): Promise<Map<string, KnownOffer>> {
    return this.store.getOffers(this.scope, skus);
  }

  /** Records updates ManoMano accepted: durable when this resolves; refused (STATE_LOCK_LOST) if the run lost its lock. */
  async confirm(updates: readonly ConfirmedOffer[], fence?: Lease): Promise<void> {
    if (updates.length === 0) return;
    await this.store.confirmOffers(this.scope, updates.map((u) => {
      const c: ConfirmedOffer = { sku: u.sku };
      if (u.price !== undefined) c.price = u.price;
      if (u.quantity !== undefined) c.quantity = u.quantity;
      return c;
    }), fence);
  }
}
