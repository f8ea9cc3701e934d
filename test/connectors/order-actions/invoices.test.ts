/**
 * manomano-invoices against the simulator over loopback: PDFs uploaded once per order (journal),
 * statuses checked first, plan = run without sending, a lost answer never resent blindly (pending
 * → INVOICE_UNCONFIRMED until --force), ManoMano's refusals reported, files checked before sending.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { runPipeline } from '../../../engine/runtime/run.js';
import { samplePdf } from '../../../engine/init/sample-pdf.js';
import { checkRecord } from '../../../engine/connectors/destinations/manomano-invoices/index.js';
import { repoRoot } from '../../helpers/cli.js';
import { byOutcome, C, ordersIn, tempDir, writeNdjson, writePipeline } from './helpers.js';

let sim: Simulator;
let dir: string;
beforeEach(async () => {
  sim = await startSimulator({ port: 0, ordersPerContract: 40, offersPerContract: 30 });
  dir = tempDir('mf-invoices-');
});
afterEach(async () => {
  await sim.close();
});

const DOCS = /^\/api\/v1\/orders\/[^/]+\/documents$/;

function pdf(name: string): string {
  writeFileSync(join(dir, name), samplePdf(`invoice ${name}`));
  return name;
}

function pipeline(records: Record<string, unknown>[], destination = 'type: manomano-invoices'): string {
  const input = writeNdjson(dir, 'invoices.ndjson', records);
  return writePipeline(dir, 'invoices', sim, { source: `type: ndjson\npath: ${input}`, destination });
}

describe('manomano-invoices', () => {
  test('uploads each PDF once: a second run skips ALREADY_DONE and ManoMano holds one document per order', async () => {
    const [shipped, refunded] = [ordersIn(sim, 'SHIPPED')[0]!, ordersIn(sim, 'PREPARATION')[0]!];
    const file = pipeline([
      { order_reference: shipped.order_reference, invoice_path: pdf('F-1.pdf') },
      { order_reference: refunded.order_reference, invoice_path: pdf('F-2.pdf') },
    ]);
    const first = await runPipeline(file, { keepItems: true });
    expect(first.items).toEqual({ sent: 2 });
    expect(first.plannedItems!.map((i) => [i.id, i.action, i.change])).toEqual([
      [shipped.order_reference, 'invoice', `upload F-1.pdf (${readFileSync(join(dir, 'F-1.pdf')).length} B)`],
      [refunded.order_reference, 'invoice', `upload F-2.pdf (${readFileSync(join(dir, 'F-2.pdf')).length} B)`],
    ]);
    expect(first.plannedItems![0]!.message).toMatch(/^uploaded as document doc-\d+; F-1\.pdf sha256 [0-9a-f]{12}$/);
    const uploads = sim.requests.filter((r) => DOCS.test(r.path));
    expect(uploads.map((r) => [r.method, r.query.seller_contract_id, r.headers['content-type']?.split(';')[0]])).toEqual([
      ['POST', String(C), 'multipart/form-data'], ['POST', String(C), 'multipart/form-data'],
    ]);
    const second = await runPipeline(file, { keepItems: true });
    expect(second.items).toEqual({ skipped: 2 });
    expect(second.plannedItems!.every((i) => i.code === 'ALREADY_DONE' && i.benign)).toBe(true);
    expect(sim.state.documents.map((d) => [d.order_reference, d.filename, d.document_type])).toEqual([
      [shipped.order_reference, 'F-1.pdf', 'INVOICE'], [refunded.order_reference, 'F-2.pdf', 'INVOICE'],
    ]);
  });

  test('plan says what would be uploaded, sends nothing and journals nothing', async () => {
    const ref = ordersIn(sim, 'SHIPPED')[0]!.order_reference;
    const file = pipeline([{ order_reference: ref, invoice_path: pdf('F-1.pdf') }]);
    const plan = await runPipeline(file, { plan: true });
    expect(plan.items).toEqual({ 'would-send': 1 });
    expect(sim.requests.filter((r) => DOCS.test(r.path))).toEqual([]);
    expect((await runPipeline(file, { keepItems: true })).items).toEqual({ sent: 1 });
  });

  test('an order not accepted yet is skipped ORDER_WRONG_STATUS; one ManoMano refuses anyway is reported refused', async () => {
    const pending = ordersIn(sim, 'PENDING')[0]!.order_reference;
    const refused = ordersIn(sim, 'REFUSED')[0]!.order_reference;
    const s = await runPipeline(pipeline([
      { order_reference: pending, invoice_path: pdf('F-1.pdf') },
      { order_reference: refused, invoice_path: pdf('F-2.pdf') },
      { order_reference: 'M00000000000', invoice_path: pdf('F-3.pdf') },
    ], 'type: manomano-invoices\nstatuses: [PREPARATION, SHIPPED, REFUSED]'), { keepItems: true });
    expect(byOutcome(s.plannedItems)).toEqual({ skipped: [pending, 'M00000000000'], refused: [refused] });
    expect(s.plannedItems!.map((i) => i.code)).toEqual(['ORDER_WRONG_STATUS', 'ORDER_INVALID_STATUS', 'ORDER_NOT_FOUND']);
    expect(s.plannedItems![0]!.message).toBe(`order ${pending} is PENDING; invoice needs PREPARATION or SHIPPED or REFUSED`);
    expect(sim.state.documents).toEqual([]);
  });

  test('a lost answer leaves the upload pending: never resent blindly (INVOICE_UNCONFIRMED), resent with --force', async () => {
    const ref = ordersIn(sim, 'SHIPPED')[0]!.order_reference;
    const file = pipeline([{ order_reference: ref, invoice_path: pdf('F-1.pdf') }]);
    sim.setFaults([{ endpoint: 'POST /api/v1/orders/{ref}/documents', kind: 'drop-after-apply', times: 1 }]);
    const lost = await runPipeline(file, { keepItems: true });
    expect(lost.items).toEqual({ failed: 1 });
    expect(sim.state.documents).toHaveLength(1);
    const again = await runPipeline(file, { keepItems: true });
    expect(again.plannedItems!.map((i) => [i.outcome, i.code, i.benign])).toEqual([['skipped', 'INVOICE_UNCONFIRMED', undefined]]);
    expect(again.plannedItems![0]!.message).toContain('--force');
    expect(sim.state.documents).toHaveLength(1);
    const forced = await runPipeline(file, { keepItems: true, force: true });
    expect(forced.items).toEqual({ sent: 1 });
    expect(sim.state.documents).toHaveLength(2);
    expect((await runPipeline(file, { keepItems: true })).plannedItems!.map((i) => i.code)).toEqual(['ALREADY_DONE']);
  });

  test('files are checked before anything is sent: missing, not a PDF, too large; two files for one order conflict', async () => {
    const [a, b, c, d] = ordersIn(sim, 'SHIPPED').map((o) => o.order_reference);
    writeFileSync(join(dir, 'fake.pdf'), 'PK\u0003\u0004 a zip file');
    const s = await runPipeline(pipeline([
      { order_reference: a, invoice_path: 'missing.pdf' },
      { order_reference: b, invoice_path: 'fake.pdf' },
      { order_reference: c, invoice_path: pdf('big.pdf') },
      { order_reference: d, invoice_path: pdf('F-1.pdf') },
      { order_reference: d, invoice_path: pdf('F-2.pdf') },
      { order_reference: d },
    ], 'type: manomano-invoices\nmax_file_bytes: 400'), { keepItems: true });
    expect(s.rejectsByCode).toEqual({ INVOICE_FILE_NOT_FOUND: 1, INVOICE_NOT_PDF: 1, INVOICE_FILE_TOO_LARGE: 3, INVOICE_PATH_MISSING: 1 });
    expect(sim.requests.filter((r) => DOCS.test(r.path))).toEqual([]);
    const big = await runPipeline(pipeline([
      { order_reference: d, invoice_path: pdf('F-1.pdf') },
      { order_reference: d, invoice_path: pdf('F-2.pdf') },
    ]), { keepItems: true });
    expect(big.plannedItems!.map((i) => i.code)).toEqual(['ORDER_LINES_CONFLICT']);
  });

  test('checkRecord (pipeline tests): a reference and a .pdf path, without reading the file', () => {
    expect(checkRecord({ order_reference: 'M1', invoice_path: 'nowhere/F-1.pdf' })).toEqual([]);
    expect(checkRecord({ order_reference: 'M1', invoice_path: 'F-1.docx' }).map((r) => r.code)).toEqual(['INVOICE_NOT_PDF']);
    expect(checkRecord({ invoice_path: 'F-1.pdf' }).map((r) => r.code)).toEqual(['ORDER_REFERENCE_MISSING']);
  });

  test('examples/orders/upload-invoices.yaml: three invoices uploaded, a PENDING order skipped, a missing PDF rejected', async () => {
    const s = await runPipeline(join(repoRoot, 'examples/orders/upload-invoices.yaml'), { keepItems: true, output: join(dir, 'feedback.ndjson') });
    expect([s.read, s.rejected, s.rejectsByCode]).toEqual([5, 1, { INVOICE_FILE_NOT_FOUND: 1 }]);
    expect(s.items).toEqual({ sent: 3, skipped: 1 });
    expect(s.plannedItems!.find((i) => i.outcome === 'skipped')).toMatchObject({ id: 'M20260816100143', code: 'ORDER_WRONG_STATUS' });
  });
});
