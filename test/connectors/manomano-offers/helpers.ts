/**
 * Helpers of the manomano-offers tests: pipelines over a stock CSV written to a temp dir, the PATCH
 * bodies the simulator received, and a loopback proxy that fails PATCHes from the Nth one on (the
 * simulator's own fault rules hit the first N requests; an interruption needs the opposite).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OfferPatchItem } from '../../../engine/manomano/api-types.js';
import type { Simulator } from '../../../engine/manomano/simulator/index.js';

export const C = 110841;

export interface StockRow { sku: string; quantity: string | number; price: string | number }

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mf-offers-'));
}

/** The first `n` offers of contract 110841, as the simulator generated them. */
export function simOffers(sim: Simulator, n: number) {
  return sim.state.listOffers(C).slice(0, n);
}

/** Writes stock.csv and a pipeline reading it; `destination` lines are appended to the destination block. */
export function writePipeline(dir: string, baseUrl: string, rows: StockRow[], destination: string[] = [], name = 'offers-test'): string {
  const csv = ['sku,quantity,price', ...rows.map((r) => `${r.sku},${r.quantity},"${r.price}"`)].join('\n') + '\n';
  writeFileSync(join(dir, 'stock.csv'), csv);
  const yaml = [
    'version: 1',
    `name: ${name}`,
    'source: { type: csv, path: stock.csv }',
    'mapping:',
    '  automap: false',
    '  attributes:',
    '    sku: sku',
    '    quantity: quantity',
    '    price_vat_included: price',
    'destination:',
    '  type: manomano-offers',
    '  environment: local',
    `  base_url: ${baseUrl}`,
    '  api_key: sandbox-key-0001',
    `  seller_contract_id: ${C}`,
    ...destination.map((l) => `  ${l}`),
  ].join('\n') + '\n';
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

/** The items of every PATCH the simulator answered, one array per request, in order. */
export function patchBodies(sim: Simulator): OfferPatchItem[][] {
  return sim.requests
    .filter((r) => r.method === 'PATCH' && r.path === '/api/v2/offer-information/offers')
    .map((r) => (r.body as { content: { items: OfferPatchItem[] }[] }).content.flatMap((g) => g.items));
}

/** The SKUs of every PATCH, flattened. */
export function patchedSkus(sim: Simulator): string[] {
  return patchBodies(sim).flat().map((i) => i.sku);
}

/** A loopback proxy to the simulator that answers 503 to every PATCH from the `failFrom`-th on (1-based). */
export async function startFailingProxy(target: string, failFrom: number): Promise<{ url: string; enabled: boolean; close(): Promise<void> }> {
  let patches = 0;
  const state = { enabled: true };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'PATCH' && state.enabled && ++patches >= failFrom) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { app_code: 'SERVICE_UNAVAILABLE', message: 'proxy: simulated outage' } }));
        return;
      }
      const up = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.on('error', () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get enabled() { return state.enabled; },
    set enabled(v: boolean) { state.enabled = v; },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
