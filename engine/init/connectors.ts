/**
 * The ManoMano connectors `manoflow init` can scaffold, with the short names people type
 * (`products`, `price-stock`, `orders`...), resolved with a did-you-mean on a miss.
 */
import { ManoflowError } from '../errors.js';
import { didYouMeanHint } from '../rules/did-you-mean.js';

/** Why: one list drives alias resolution, help text and the init test's loop over connectors. */
export const INIT_CONNECTORS = [
  { type: 'manomano-products', kind: 'destination', aliases: ['products', 'product-creation'], defaultName: 'product-creation' },
  { type: 'manomano-offers', kind: 'destination', aliases: ['offers', 'price-stock', 'price_stock'], defaultName: 'price-stock' },
  { type: 'manomano-orders', kind: 'source', aliases: ['orders', 'orders-import'], defaultName: 'orders-import' },
  { type: 'manomano-order-decisions', kind: 'destination', aliases: ['decisions', 'order-decisions', 'accept', 'refuse'], defaultName: 'order-decisions' },
  { type: 'manomano-refunds', kind: 'destination', aliases: ['refunds'], defaultName: 'refunds' },
  { type: 'manomano-shipments', kind: 'destination', aliases: ['shipments', 'shipping'], defaultName: 'shipments' },
  { type: 'manomano-invoices', kind: 'destination', aliases: ['invoices', 'invoice'], defaultName: 'invoices' },
] as const;

export type InitConnectorType = (typeof INIT_CONNECTORS)[number]['type'];
export type InitConnector = (typeof INIT_CONNECTORS)[number];

/** `price-stock` → the manomano-offers entry; an unknown name is a usage error with suggestions. */
export function resolveInitConnector(name: string): InitConnector {
  const key = name.trim().toLowerCase();
  const found = INIT_CONNECTORS.find((c) => c.type === key || (c.aliases as readonly string[]).includes(key));
  if (found) return found;
  const names = INIT_CONNECTORS.flatMap((c) => [c.type, ...c.aliases]);
  const hint = didYouMeanHint(key, names);
  throw new ManoflowError('CLI_USAGE', `unknown connector "${name}"${hint ? `: ${hint}` : ''}`, {
    hint: `one of ${INIT_CONNECTORS.map((c) => `${c.type} (${c.aliases.join(', ')})`).join('; ')}`,
  });
}
