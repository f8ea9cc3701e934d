/**
 * The destination behind manomano-order-decisions, -refunds and -shipments: checks each record
 * (rejects), buffers per order, and at close() reads every order's status, then sends each action
 * once: journalled `pending` before the request and `done`/`failed` after, one item-report line
 * per order. Under `plan` it reads statuses and reports `would-send`, and writes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Order } from '../../manomano/api-types.js';
import type { Destination, DestinationResult, ItemResult, OutputItem, RunContext } from '../../runtime/types.js';
import { OrderJournal } from '../../state/journal.js';
import { openApiConnection, type ApiConnection, type ApiConnectionConfig } from '../manomano-api.js';
import { contractOf, orderReference, Problems, quantity, REJECT_CODES, text } from './checks.js';
import { decide, type Verdict } from './decide.js';
import { OrderGroups, type OrderGroup } from './groups.js';
import { sendAll, type ToSend } from './send.js';
import type { OrderActionSpec } from './spec.js';
import { readCurrentOrders } from './status.js';

/** Why: the simulator started in-process for `local` is new on every run, so a journal kept across runs would lie about it. */
function isEphemeral(config: ApiConnectionConfig): boolean {
  return config.environment === 'local' && !config.base_url && !process.env.MANOFLOW_SANDBOX_URL;
}

class OrderActionDestination<F> implements Destination {
  private readonly groups: OrderGroups<F>;
  private readonly counts: Record<string, number> = {};
  private readonly items: ItemResult[] = [];

  constructor(private readonly spec: OrderActionSpec<F>, private readonly config: ApiConnectionConfig, private readonly conn: ApiConnection, private readonly ctx: RunContext) {
    this.groups = new OrderGroups<F>(spec.conflict);
  }

  async write(batch: OutputItem[]): Promise<{ written: number; rejected: number }> {
    let written = 0;
    let rejected = 0;
    for (const item of batch) {
      const { record, position } = item;
      const p = new Problems();
      const ref = orderReference(record, p);
      const contract = contractOf(record, p, this.conn.contractId);
      let sku: string | undefined;
      let qty: number | undefined;
      if (this.spec.withLines) {
        sku = text(record, 'seller_sku');
        qty = quantity(record, p, false);
        if (sku === undefined && qty !== undefined) p.add(REJECT_CODES.skuMissing, 'seller_sku', 'quantity is given but seller_sku is missing', 'map `seller_sku` to the line\'s SKU, or leave both empty to act on the whole order');
      }
      const parsed = this.spec.parse(record, p);
      let conflict: string | undefined;
      if (p.ok && ref !== undefined && contract !== undefined && parsed) {
        conflict = this.groups.add({ ref, contract, action: parsed.action, fields: parsed.fields, sku, quantity: qty }, position);
        if (conflict) p.add(REJECT_CODES.linesConflict, 'order_reference', `${conflict}; nothing will be sent for this order`, 'give every record of one order the same order-level values');
      }
      if (p.ok) { written++; continue; }
      rejected++;
      for (const e of p.list) {
        this.ctx.reject({ stage: 'destination', index: position.index, line: position.line, id: ref ?? position.id, attribute: e.attribute, code: e.code, message: e.message, hint: e.hint });
      }
    }
    return { written, rejected };
  }

  private report(g: OrderGroup<F>, item: Omit<ItemResult, 'id' | 'index' | 'line'>): void {
    this.counts[item.outcome] = (this.counts[item.outcome] ?? 0) + 1;
    const full: ItemResult = { id: g.ref, index: g.index, line: g.line, ...item };
    for (const k of Object.keys(full) as (keyof ItemResult)[]) if (full[k] === undefined) delete full[k];
    this.items.push(full);
  }

  /** Reports in input order (sends are grouped by action and contract; people read by input). */
  private flushReports(): void {
    const items = this.items.splice(0).sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    for (const item of items) this.ctx.report(item);
  }

  async close(ok: boolean): Promise<DestinationResult> {
    if (!ok) {
      await this.conn.close();
      return { outputs: [], details: { sent: 0, discarded: this.groups.groups.size } };
    }
    const plan = this.ctx.options.plan === true;
    const ephemeral = isEphemeral(this.config) ? mkdtempSync(join(tmpdir(), 'manoflow-journal-')) : undefined;
    if (ephemeral) this.ctx.log.info(`${this.spec.type}: the in-process simulator starts fresh each run, so this run's journal is temporary`);
    try {
      const journal = new OrderJournal(ephemeral ?? this.ctx.stateDir, `${this.ctx.pipelineName}@${new Date().toISOString()}`);
      const wanted = new Map<number, Set<string>>();
      for (const g of this.groups.groups.values()) {
        if (g.conflict || journal.get(g.action, g.contract, g.ref)?.state === 'done') continue;
        const set = wanted.get(g.contract) ?? new Set<string>();
        set.add(g.ref);
        wanted.set(g.contract, set);
      }
      const orders: Map<string, Order | undefined> = wanted.size ? await readCurrentOrders(this.conn.client, this.spec.from, wanted) : new Map();
      const toSend: ToSend<F>[] = [];
      const recovered: OrderGroup<F>[] = [];
      for (const g of this.groups.groups.values()) {
        const v: Verdict = decide(this.spec, g, journal, orders.get(g.key));
        if (v.kind === 'skip') {
          if (v.markDone) recovered.push(g);
          this.report(g, { action: g.action, outcome: 'skipped', code: v.code, message: v.message });
        } else if (plan) {
          this.report(g, { action: g.action, outcome: 'would-send', change: this.spec.change(g.action, g.fields, v.products), message: v.retry ? `retry: last attempt ${v.retry.state}${v.retry.code ? ` (${v.retry.code})` : ''}` : undefined });
        } else {
          toSend.push({ group: g, products: v.products });
        }
      }
      if (plan) return { outputs: [], details: { ...this.counts, plan: true } };
      if (recovered.length) journal.record(recovered.map((g) => ({ action: g.action, contract: g.contract, order_reference: g.ref, state: 'done' as const, code: 'RECOVERED' })));
      await sendAll(this.spec, this.conn, journal, toSend, { batchSize: this.config.batch_size ?? 50, signal: this.ctx.signal, report: (g, item) => this.report(g, item) });
      return { outputs: [], details: { ...this.counts, journal: ephemeral ? undefined : journal.path } };
    } finally {
      this.flushReports();
      await this.conn.close();
      if (ephemeral) rmSync(ephemeral, { recursive: true, force: true });
    }
  }
}

/** Why: each order-action connector is this destination plus its spec. */
export async function createOrderActionDestination<F>(spec: OrderActionSpec<F>, config: ApiConnectionConfig, ctx: RunContext): Promise<Destination> {
  const conn = await openApiConnection(config, ctx);
  return new OrderActionDestination(spec, config, conn, ctx);
}
