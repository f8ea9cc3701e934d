/**
 * The destination behind manomano-order-decisions, -refunds and -shipments: checks each record
 * (rejects), buffers per order, and at close() reads every order's status, then sends each action
 * once: journalled `pending` before the request and `done`/`failed` after, one item-report line
 * per order; then, with `feedback` on, reads the acted orders back into the feedback file
 * (feedback.ts). Under `plan` it reads statuses and reports `would-send`, and writes nothing.
 * From the status pre-check to the last `done`, a run holds the journal's lock (state/lock.ts):
 * a second run on the same state dir waits, then re-reads the journal and skips what was done.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LineQuantity, Order } from '../../manomano/api-types.js';
import type { Destination, DestinationResult, ItemResult, OutputItem, RunContext } from '../../runtime/types.js';
import { OrderJournal } from '../../state/journal.js';
import { acquireLock, lockTimeoutFromEnv, type StateLock } from '../../state/lock.js';
import { openApiConnection, type ApiConnection, type ApiConnectionConfig } from '../manomano-api.js';
import { REJECT_CODES } from './checks.js';
import { decide, isBenignSkip, type Verdict } from './decide.js';
import { orderFeedbackPath, readBackStatuses, writeOrderFeedback, type FeedbackEntry } from './feedback.js';
import { actionFingerprint, actionRef, OrderGroups, type OrderGroup } from './groups.js';
import { checkOrderRecord, problemsAsRejects } from './record-check.js';
import { sendAll, type ToSend } from './send.js';
import type { OrderActionSpec } from './spec.js';
import { readCurrentOrders } from './status.js';

/**
 * The connection settings plus where the feedback file goes (`feedback_output`, order-action
 * schemas) and how long to wait for another run holding the journal (`lock_timeout`, seconds;
 * default MANOFLOW_LOCK_TIMEOUT or 60).
 */
export type OrderActionConfig = ApiConnectionConfig & { feedback_output?: string; lock_timeout?: number };

/** Why: the simulator started in-process for `local` is new on every run, so a journal kept across runs would lie about it. */
function isEphemeral(config: OrderActionConfig): boolean {
  return config.environment === 'local' && !config.base_url && !process.env.MANOFLOW_SANDBOX_URL;
}

class OrderActionDestination<F> implements Destination {
  private readonly groups: OrderGroups<F>;
  private readonly counts: Record<string, number> = {};
  private readonly items: ItemResult[] = [];
  private readonly feedback: FeedbackEntry[] = [];
  private readonly feedbackPath: string | undefined;

  constructor(private readonly spec: OrderActionSpec<F>, private readonly config: OrderActionConfig, private readonly conn: ApiConnection, private readonly ctx: RunContext) {
    this.groups = new OrderGroups<F>(spec.conflict);
    this.feedbackPath = ctx.options.plan ? undefined : orderFeedbackPath(config, ctx);
  }

  async write(batch: OutputItem[]): Promise<{ written: number; rejected: number }> {
    let written = 0;
    let rejected = 0;
    for (const { record, position } of batch) {
      const { ref, parsed, problems: p } = checkOrderRecord(this.spec, record, this.conn.contractId);
      if (parsed) {
        const conflict = this.groups.add(parsed, position);
        if (conflict) p.add(REJECT_CODES.linesConflict, 'order_reference', `${conflict}; nothing will be sent for this order`, 'give every record of one order the same order-level values');
      }
      if (p.ok) { written++; continue; }
      rejected++;
      if (ref) {
        const contract = Number((record as { seller_contract_id?: unknown }).seller_contract_id ?? this.conn.contractId);
        this.groups.hold(Number.isInteger(contract) ? contract : this.conn.contractId, ref, `record ${position.line !== undefined ? `on line ${position.line}` : `#${position.index + 1}`} of order ${ref} was rejected`);
      }
      for (const r of problemsAsRejects(p, ref ?? position.id)) this.ctx.reject({ ...r, index: position.index, line: position.line });
    }
    return { written, rejected };
  }

  private report(g: OrderGroup<F>, item: Omit<ItemResult, 'id' | 'index' | 'line'>, extra: { appCode?: string; products?: LineQuantity[]; before?: Order } = {}): void {
    this.counts[item.outcome] = (this.counts[item.outcome] ?? 0) + 1;
    if (this.feedbackPath) this.feedback.push({ group: g, item, appCode: extra.appCode, before: extra.before, request: this.spec.request(g.fields, extra.products) });
    const full: ItemResult = { id: g.ref, index: g.index, line: g.line, ...item };
    if (item.outcome === 'skipped' && isBenignSkip(item.code)) full.benign = true; // already applied: not a problem for the exit code
    for (const k of Object.keys(full) as (keyof ItemResult)[]) if (full[k] === undefined || full[k] === '') delete full[k];
    this.items.push(full);
  }

  /** Reports in input order (sends are grouped by action and contract; people read by input). */
  private flushReports(): void {
    const items = this.items.splice(0).sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    for (const item of items) this.ctx.report(item);
  }

  /**
   * Waits for the lock of this seller contract on this machine: held from the status pre-check to
   * the last `done`, it serialises every run that sends order actions to the same contract, even
   * from pipelines with different state directories (their journals differ, but the second run
   * then sees the new statuses and sends nothing twice).
   */
  private lockContract(): Promise<StateLock> {
    const timeoutMs = this.config.lock_timeout !== undefined ? Math.round(this.config.lock_timeout * 1000) : lockTimeoutFromEnv();
    const path = contractLockPath(this.conn.baseUrl, this.conn.contractId);
    return acquireLock(path, {
      timeoutMs,
      purpose: 'sending order actions',
      signal: this.ctx.signal,
      onWait: (h) => this.ctx.log.warn(`${this.spec.type}: waiting for another manoflow run${h ? ` (pid ${h.pid})` : ''} that is sending order actions to contract ${this.conn.contractId} (lock ${path}, up to ${Math.round(timeoutMs / 1000)} s)`),
    });
  }

  /** Reads the acted orders back (unless the run stopped on a fatal error) and writes the feedback file; its path, or undefined when off. */
  private async writeFeedback(readBack: boolean): Promise<string | undefined> {
    if (!this.feedbackPath) return undefined;
    const statuses = readBack ? await readBackStatuses(this.conn.client, this.feedback, this.spec.from, this.ctx.log) : undefined;
    const lines = await writeOrderFeedback(this.feedbackPath, this.feedback, statuses);
    this.ctx.log.debug(`${this.spec.type}: feedback for ${lines} order(s) written to ${this.feedbackPath}`);
    return this.feedbackPath;
  }

  async close(ok: boolean): Promise<DestinationResult> {
    if (!ok) {
      await this.conn.close();
      return { outputs: [], details: { sent: 0, discarded: this.groups.groups.size } };
    }
    const plan = this.ctx.options.plan === true;
    const ephemeral = isEphemeral(this.config) ? mkdtempSync(join(tmpdir(), 'manoflow-journal-')) : undefined;
    if (ephemeral) this.ctx.log.info(`${this.spec.type}: the in-process simulator starts fresh each run, so this run's journal is temporary`);
    let lock: StateLock | undefined;
    try {
      const journal = new OrderJournal(ephemeral ?? this.ctx.stateDir, `${this.ctx.pipelineName}@${new Date().toISOString()}`);
      for (const g of this.groups.groups.values()) g.fingerprint = actionFingerprint(g, this.spec.withLines, this.spec.fingerprint?.(g.fields));
      if (!plan && !ephemeral) {
        // Decide, journal and send under the lock, from the journal as the previous holder left it.
        lock = await this.lockContract();
        journal.reload();
      }
      const wanted = new Map<number, Set<string>>();
      for (const g of this.groups.groups.values()) {
        if (g.conflict || g.held || journal.get(g.action, g.contract, g.ref, g.fingerprint)?.state === 'done') continue;
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
          this.report(g, { action: g.action, outcome: 'skipped', code: v.code, message: v.message }, { before: orders.get(g.key) });
        } else if (plan) {
          this.report(g, { action: g.action, outcome: 'would-send', change: this.spec.change(g.action, g.fields, v.products), message: v.retry ? `retry: last attempt ${v.retry.state}${v.retry.code ? ` (${v.retry.code})` : ''}` : undefined });
        } else {
          toSend.push({ group: g, products: v.products });
        }
      }
      if (plan) return { outputs: [], details: { ...this.counts, plan: true } };
      if (recovered.length) journal.record(recovered.map((g) => ({ ...actionRef(g), state: 'done' as const, code: 'RECOVERED' })));
      let fatal: unknown;
      await sendAll(this.spec, this.conn, journal, toSend, {
        batchSize: this.config.batch_size ?? 50, signal: this.ctx.signal,
        report: (g, item, extra) => this.report(g, item, { ...extra, before: orders.get(g.key) }),
      }).catch((err: unknown) => { fatal = err; });
      lock?.release(); // the read-back below is read-only: the next run may start deciding
      // After a fatal error the feedback still records what was answered (no read-back), and never hides that error.
      const feedback = await this.writeFeedback(fatal === undefined).catch((err: unknown) => {
        if (fatal === undefined) throw err;
        this.ctx.log.warn(`feedback: not written (${(err as Error).message})`);
        return undefined;
      });
      if (fatal !== undefined) throw fatal;
      return { outputs: feedback ? [feedback] : [], details: { ...this.counts, journal: ephemeral ? undefined : journal.path, feedback: feedback ?? null } };
    } finally {
      lock?.release();
      this.flushReports();
      await this.conn.close();
      if (ephemeral) rmSync(ephemeral, { recursive: true, force: true });
    }
  }
}

/** Why: each order-action connector is this destination plus its spec. */
export async function createOrderActionDestination<F>(spec: OrderActionSpec<F>, config: OrderActionConfig, ctx: RunContext): Promise<Destination> {
  const conn = await openApiConnection(config, ctx);
  return new OrderActionDestination(spec, config, conn, ctx);
}

/** One lock file per (API base URL, contract) on this machine, under the system's temp folder. */
export function contractLockPath(baseUrl: string, contract: number): string {
  const key = createHash('sha256').update(`${baseUrl}|${contract}`).digest('hex').slice(0, 16);
  return join(tmpdir(), 'manoflow-locks', `order-actions-${contract}-${key}.lock`);
}
