/**
 * Issue 11 item 13: a shipment ManoMano refused (a carrier it does not accept) used to be sent
 * again on every run. The refusal is journalled with ManoMano's code, message and a digest of the
 * payload: the same payload is skipped REFUSED_BEFORE (a problem: exit 1) with the reason; a
 * changed one is sent; `--retry-refused` sends the same one again.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { runPipeline } from '../../../engine/runtime/run.js';
import { runCli } from '../../helpers/cli.js';
import { journalEntries, stateOf } from '../../helpers/state.js';
import { actionPosts, ordersIn, tempDir, writeNdjson, writePipeline } from './helpers.js';

let sim: Simulator;
let dir: string;
beforeEach(async () => {
  sim = await startSimulator({ port: 0 });
  dir = tempDir('mf-refused-');
});
afterEach(async () => { await sim.close(); });

const SHIP = '/orders/v1/shippings';

function shipments(rows: { ref: string; carrier: string }[]): string {
  const input = writeNdjson(dir, 'shipments.ndjson', rows.map((r) => ({ order_reference: r.ref, carrier: r.carrier, tracking_number: `T${r.ref}`, tracking_url: `https://track.example/${r.ref}` })));
  // Our warehouse's carrier list lets Paack through; ManoMano's does not.
  return writePipeline(dir, 'ship', sim, { source: `type: ndjson\npath: ${input}`, destination: 'type: manomano-shipments\ncarriers: [DPD, Paack]' });
}

describe('a refused shipment', () => {
  test('is not sent again with the same payload; a corrected one is; --retry-refused resends it', async () => {
    const [a, b] = ordersIn(sim, 'PREPARATION').map((o) => o.order_reference);
    const file = shipments([{ ref: a!, carrier: 'Paack' }, { ref: b!, carrier: 'DPD' }]);
    const first = await runPipeline(file, { keepItems: true });
    expect(first.plannedItems!.map((i) => [i.id, i.outcome, i.code])).toEqual([[a, 'refused', 'INVALID_CARRIER'], [b, 'sent', undefined]]);
    expect(journalEntries(stateOf(dir)).find((e) => e.order_reference === a)).toMatchObject({ state: 'refused', code: 'INVALID_CARRIER', message: expect.stringContaining('Paack'), payload: expect.stringMatching(/^[0-9a-f]{16}$/) });

    const second = await runPipeline(file, { keepItems: true });
    const skipped = second.plannedItems!.find((i) => i.id === a)!;
    expect(skipped).toMatchObject({ outcome: 'skipped', code: 'REFUSED_BEFORE' });
    expect(skipped.message).toMatch(/^ManoMano refused this same ship of order .* INVALID_CARRIER: carrier "Paack" .*; fix it and run again \(a changed ship is sent\), or run with --retry-refused to send it again as it is$/);
    expect(second.itemProblemsByCode).toEqual({ REFUSED_BEFORE: 1 });
    expect(actionPosts(sim, SHIP).flatMap((p) => p.refs)).toEqual([a, b]); // nothing new sent

    const retried = await runCli(['run', file, '--retry-refused']);
    expect(retried.code).toBe(1); // refused again: a problem to read
    expect(retried.stdout).toContain('ManoMano: skipped 1, refused 1\n'); // b: ALREADY_DONE
    expect(actionPosts(sim, SHIP).flatMap((p) => p.refs)).toEqual([a, b, a]);

    shipments([{ ref: a!, carrier: 'DPD' }, { ref: b!, carrier: 'DPD' }]);
    const fixed = await runPipeline(file, { keepItems: true });
    expect(fixed.plannedItems!.map((i) => [i.id, i.outcome, i.code])).toEqual([[a, 'sent', undefined], [b, 'skipped', 'ALREADY_DONE']]);
    expect(sim.state.getOrder(110841, a!)!.status).toBe('SHIPPED');
  });
});
