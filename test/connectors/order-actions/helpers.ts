/**
 * Shared helpers of the order-action tests: a simulator on a loopback port, pipelines written to
 * temp dirs, the actions the simulator applied, and a hook that changes an order's status right
 * after the connector read it (to provoke a 207 between the status pre-check and the send).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Order, OrderStatus } from '../../../engine/manomano/api-types.js';
import type { RecordedRequest, Simulator } from '../../../engine/manomano/simulator/index.js';

export const C = 110841;

/** A fresh temp dir for one test's pipeline, inputs and state. */
export function tempDir(prefix = 'mf-orders-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a pipeline next to its data; the connection block points at the simulator. */
export function writePipeline(dir: string, name: string, sim: Simulator, body: { source: string; destination: string; mapping?: string; extra?: string; connection?: string }): string {
  const conn = body.connection ?? '';
  const text = [
    'version: 1',
    `name: ${name}`,
    'source:',
    indent(body.source),
    ...(body.mapping ? ['mapping:', indent(body.mapping)] : []),
    ...(body.extra ? [body.extra] : []),
    'destination:',
    indent(body.destination),
    `  environment: local`,
    `  base_url: ${sim.url}`,
    `  api_key: ${sim.apiKey}`,
    `  seller_contract_id: ${C}`,
    ...(conn ? [indent(conn)] : []),
  ].join('\n') + '\n';
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** The connection block for a manomano-orders source. */
export function ordersSource(sim: Simulator, extra = ''): string {
  return [`type: manomano-orders`, `environment: local`, `base_url: ${sim.url}`, `api_key: ${sim.apiKey}`, `seller_contract_id: ${C}`, extra].filter(Boolean).join('\n');
}

function indent(s: string): string {
  return s.trim().split('\n').map((l) => `  ${l}`).join('\n');
}

/** Orders of the FR contract in a status, listing order. */
export function ordersIn(sim: Simulator, status: OrderStatus): Order[] {
  return sim.state.listOrders(C).filter((o) => o.status === status);
}

/** POSTs to an action endpoint, with the references in each body. */
export function actionPosts(sim: Simulator, path: string): { req: RecordedRequest; refs: string[] }[] {
  return sim.requests.filter((r) => r.method === 'POST' && r.path === path)
    .map((req) => ({ req, refs: Array.isArray(req.body) ? (req.body as { order_reference: string }[]).map((b) => b.order_reference) : [] }));
}

/** How many times each order had an action applied by the simulator. */
export function appliedCount(sim: Simulator, action: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const a of sim.state.actions) if (a.action === action) m.set(a.order_reference, (m.get(a.order_reference) ?? 0) + 1);
  return m;
}

/**
 * After the connector's status pre-check has read `ref` (in the listing or one by one), move it to
 * `status` before the action is sent: the server then refuses the item in a 207. `skipListings`:
 * listings to let through first (a manomano-orders source lists before the destination checks).
 */
export function changeStatusAfterCheck(sim: Simulator, ref: string, status: OrderStatus, skipListings = 0): void {
  const state = sim.state;
  const list = state.listOrders.bind(state);
  let done = false;
  let seen = 0;
  state.listOrders = (contractId: number) => {
    const out = list(contractId);
    if (!done && out.some((o) => o.order_reference === ref) && seen++ >= skipListings) {
      // The listing's answer is serialised after this returns: hand back copies, then change the real order.
      const copies = out.map((o) => structuredClone(o));
      done = true;
      state.setStatus(C, ref, status);
      return copies;
    }
    return out;
  };
}

/** Writes records as an NDJSON file and returns its name (relative to `dir`). */
export function writeNdjson(dir: string, name: string, records: Record<string, unknown>[]): string {
  writeFileSync(join(dir, name), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return name;
}

/** Item results grouped by outcome: `{ sent: [refs], skipped: [refs] }`. */
export function byOutcome(items: { id: string; outcome: string }[] | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of items ?? []) (out[i.outcome] ??= []).push(i.id);
  return out;
}
