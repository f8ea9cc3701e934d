/**
 * ManoMano's current offers as the baseline of the safety limits when the snapshot has none
 * (a fresh machine, a lost or new state dir): `GET /api/v1/offer-information/offers` for the
 * SKUs about to be sent (50 per call), so 50 prices cut by 90% are stopped even the first time.
 */
import type { ManomanoClient } from '../../../manomano/client/index.js';
import type { KnownOffer } from '../../../state/store.js';

/** Why: reads price and stock of these SKUs as ManoMano has them now; a SKU ManoMano does not list is absent. */
export async function readCurrentOffers(client: ManomanoClient, contractId: number, skus: readonly string[]): Promise<Map<string, KnownOffer>> {
  const out = new Map<string, KnownOffer>();
  if (skus.length === 0) return out;
  const wanted = new Set(skus);
  for await (const info of client.iterateOfferInformation(contractId, { skus: [...skus] })) {
    if (!wanted.has(info.sku)) continue;
    const k: KnownOffer = {};
    if (typeof info.price === 'number' && Number.isFinite(info.price)) k.price = info.price;
    if (typeof info.stock === 'number' && Number.isFinite(info.stock)) k.quantity = info.stock;
    out.set(info.sku, k);
  }
  return out;
}
