/**
 * The destination behind manomano-order-decisions, -refunds and -shipments: checks each record
 * (rejects), buffers per order, and at close() reads every order's status, then sends each action
 * once: journalled `pending` before the request and `done`/`failed`/`refused` after, one
 * item-report line per order; then, with `feedback` on, reads the acted orders back into the
 * feedback file (feedback.ts). Under `plan` it reads statuses and reports `would-send`, and writes
 * nothing. From the resolution of pending entries to the last `done`, a run holds its contracts'
 * locks IN THE STATE STORE (fenced: engine/state/lease.ts), so every run sharing the state (other
 * TMPDIRs, users, containers) waits, then skips what was done.
 */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LineQuantity, Order } from '../../manomano/api-types.js';
import type { Destination, DestinationResult, ItemResult, OutputItem, RunContext } from '../../runtime/types.js';
import { keepFeedback } from '../../state/feedback.js';
import { OrderJournal } from '../../state/journal.js';
import { acquireStateLock, type HeldStateLock } from '../../state/lease.js';
import { acquireLock, lockTimeoutFromEnv, type StateLock } from '../../state/lock.js';
import { MemoryStateStore } from '../../state/memory.js';
import { openStateStore, type StateHandle } from '../../state/open.js';
import { DEFAULT_RETENTION_DAYS } from '../../state/retention.js';
import { openApiConnection, type ApiConnection, type ApiConnectionConfig } from '../manomano-api.js';
import { REJECT_CODES } from './checks.js';
import { decide, isBenignSkip, type Verdict } from './decide.js';
import { orderFeedbackPath, readBackStatuses, writeOrderFeedback, type FeedbackEntry } from './feedback.js';
import { actionFingerprint, actionRef, OrderGroups, type OrderGroup } from './groups.js';
import { resolvePending, summarisePending } from './pending.js';
import { checkOrderRecord, problemsAsRejects } from './record-check.js';
import { sendAll, type ToSend } from './send.js';
import type { OrderActionSpec } from './spec.js';
import { readCurrentOrders } from './status.js';

/**
 * The connection settings plus where the feedback file goes (`feedback_output`, order-action
 * schemas) and how long to wait for another run holding the lock (`lock_timeout`, seconds;
 * default MANOFLOW_LOCK_TIMEOUT or 60).
 */
export type OrderActionConfig = ApiConnectionConfig & { feedback_output?: string; lock_timeout?: number };

/** Why: the simulator started in-process for `local` is new on every run, so a journal kept across runs would lie about it. */
export function isEphemeral(config: ApiConnectionConfig): boolean {
  return config.environment === 'local' && !config.base_url && !process.env.MANOFLOW_SANDBOX_URL;
}

/** Why: one lock name per seller contract in the state store, shared with `manoflow state check`. */
export function orderActionsLockName(contract: number): string {
  return `order-actions:${contract}`;
}

class OrderActionDestination<F> implements Destination {
  private readonly groups: OrderGroups<F>;
  private readonly counts: Record<string, number> = {};
  private readonly items: ItemResult[] = [];
  private readonly feedback: FeedbackEntry[] = [];
  private readonly feedbackPath: string | undefined;
  private readonly runId: string;

  constructor(private readonly spec: OrderActionSpec<F>, private readonly config: OrderActionConfig, private readonly conn: ApiConnection, private readonly ctx: RunContext) {
    this.runId = `${ctx.pipelineName}@${new Date().toISOString()}`;
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

  private lockTimeoutMs(): number {
    return this.config.lock_timeout !== undefined ? Math.round(this.config.lock_timeout * 1000) : lockTimeoutFromEnv();
  }

  /**
   * Takes the lock of each contract in the state store (sorted, so two runs never wait on each
   * other in a cycle): held from the resolution of pending entries to the last `done`, it
   * serialises every run sending order actions to these contracts with this state, wherever it runs.
   */
  private async lockContracts(handle: StateHandle, contracts: number[]): Promise<HeldStateLock[]> {
    const held: HeldStateLock[] = [];
    try {
      for (const c of contracts) {
        held.push(await acquireStateLock(handle.store, orderActionsLockName(c), {
          timeoutMs: this.lockTimeoutMs(), purpose: 'sending order actions', signal: this.ctx.signal,
          onWait: (cur) => this.ctx.log.warn(`${this.spec.type}: waiting for another manoflow run (pid ${cur.holder.pid} on ${cur.holder.host}) that is sending order actions to contract ${c} (lock in ${handle.store.location}, up to ${Math.round(this.lockTimeoutMs() / 1000)} s)`),
        }));
      }
      return held;
    } catch (err) {
      for (const l of held) await l.release();
      throw err;
    }
  }

  /**
   * A second, machine-wide lock per (API base URL, contract) under the temp folder: it also
   * serialises pipelines of this machine that keep their state in different state dirs (their
   * journals differ, but the second then sees the new statuses). Best effort only (another
   * TMPDIR does not see it); the state lock above is the guarantee.
   */
  private lockMachine(): Promise<StateLock> {
    const path = contractLockPath(this.conn.baseUrl, this.conn.contractId);
    return acquireLock(path, {
      timeoutMs: this.lockTimeoutMs(), purpose: 'sending order actions', signal: this.ctx.signal,
      onWait: (h) => this.ctx.log.warn(`${this.spec.type}: waiting for another manoflow run${h ? ` (pid ${h.pid})` : ''} that is sending order actions to contract ${this.conn.contractId} (lock ${path}, up to ${Math.round(this.lockTimeoutMs() / 1000)} s)`),
    });
  }

  /** Reads the acted orders back (unless the run stopped on a fatal error), writes the feedback file and keeps its lines; the file's path, or undefined when off. */
  private async writeFeedback(readBack: boolean, handle: StateHandle): Promise<string | undefined> {
    if (!this.feedbackPath) return undefined;
    const statuses = readBack ? await readBackStatuses(this.conn.client, this.feedback, this.spec.from, this.ctx.log) : undefined;
    const lines = await writeOrderFeedback(this.feedbackPath, this.feedback, statuses);
    await keepFeedback(handle.store, this.ctx.pipelineName, this.runId, lines).catch((err: unknown) => this.ctx.log.warn(`feedback: not kept in the state store (${(err as Error).message})`));
    this.ctx.log.debug(`${this.spec.type}: feedback for ${lines.length} order(s) written to ${this.feedbackPath}`);
    return this.feedbackPath;
  }

  async close(ok: boolean): Promise<DestinationResult> {
    if (!ok) {
      await this.conn.close();
      return { outputs: [], details: { sent: 0, discarded: this.groups.groups.size } };
    }
    const plan = this.ctx.options.plan === true;
    const ephemeral = isEphemeral(this.config);
    if (ephemeral) this.ctx.log.info(`${this.spec.type}: the in-process simulator starts fresh each run, so this run's journal is temporary`);
    const handle: StateHandle = ephemeral ? { store: new MemoryStateStore(), release: async () => {} }
      : await openStateStore(this.ctx.stateDir, { log: this.ctx.log, backend: this.ctx.stateSettings, ifExists: plan, retentionDays: plan ? undefined : this.ctx.stateSettings?.retention_days ?? DEFAULT_RETENTION_DAYS });
    let locks: HeldStateLock[] = [];
    let machine: StateLock | undefined;
    const release = async () => {
      machine?.release();
      machine = undefined;
      for (const l of locks.splice(0)) await l.release();
    };
    try {
      const journal = new OrderJournal(handle.store, this.runId);
      for (const g of this.groups.groups.values()) g.fingerprint = actionFingerprint(g, this.spec.withLines, this.spec.fingerprint?.(g.fields));
      const contracts = [...new Set([this.conn.contractId, ...[...this.groups.groups.values()].map((g) => g.contract)])].sort((a, b) => a - b);
      const fence = (c: number) => locks.find((l) => l.lease.name === orderActionsLockName(c))?.lease;
      const details: Record<string, unknown> = {};
      if (!plan && !ephemeral) {
        // Decide, journal and send under the locks, from the journal as the previous holder left it.
        locks = await this.lockContracts(handle, contracts);
        machine = await this.lockMachine();
        const pending = await resolvePending(this.conn.client, journal, contracts, { write: true, fence });
        if (pending.length) {
          const s = summarisePending(pending);
          details.pending_resolved = s;
          this.ctx.log.info(`${this.spec.type}: ${pending.length} action(s) left pending by interrupted runs, read back from ManoMano: ${s.done} done, ${s.not_sent} not sent, ${s.unknown} still unknown`);
          for (const p of pending.filter((x) => x.found === 'unknown')) this.ctx.log.warn(`${this.spec.type}: still pending: ${p.why}`);
        }
      }
      await journal.load([...this.groups.groups.values()].map((g) => actionRef(g)));
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
        const v: Verdict = decide(this.spec, g, journal, orders.get(g.key), { retryRefused: this.ctx.options.retryRefused === true });
        if (v.kind === 'skip') {
          if (v.markDone) recovered.push(g);
          this.report(g, { action: g.action, outcome: 'skipped', code: v.code, message: v.message }, { before: orders.get(g.key) });
        } else if (plan) {
          this.report(g, { action: g.action, outcome: 'would-send', change: this.spec.change(g.action, g.fields, v.products), message: v.retry ? `retry: last attempt ${v.retry.state}${v.retry.code ? ` (${v.retry.code})` : ''}` : undefined });
        } else {
          toSend.push({ group: g, products: v.products, payload: v.payload });
        }
      }
      if (plan) return { outputs: [], details: { ...this.counts, plan: true } };
      for (const c of contracts) {
        const mine = recovered.filter((g) => g.contract === c);
        if (mine.length) await journal.record(mine.map((g) => ({ ...actionRef(g), state: 'done' as const, code: 'RECOVERED' })), fence(c));
      }
      let fatal: unknown;
      await sendAll(this.spec, this.conn, journal, toSend, {
        batchSize: this.config.batch_size ?? 50, signal: this.ctx.signal, fence,
        report: (g, item, extra) => this.report(g, item, { ...extra, before: orders.get(g.key) }),
      }).catch((err: unknown) => { fatal = err; });
      await release(); // the read-back below is read-only: the next run may start deciding
      // After a fatal error the feedback still records what was answered (no read-back), and never hides that error.
      const feedback = await this.writeFeedback(fatal === undefined, handle).catch((err: unknown) => {
        if (fatal === undefined) throw err;
        this.ctx.log.warn(`feedback: not written (${(err as Error).message})`);
        return undefined;
      });
      if (fatal !== undefined) throw fatal;
      return { outputs: feedback ? [feedback] : [], details: { ...this.counts, ...details, journal: ephemeral ? undefined : journal.location, feedback: feedback ?? null } };
    } finally {
      await release();
      this.flushReports();
      await this.conn.close();
      await handle.release();
    }
  }
}

/** Why: each order-action connector is this destination plus its spec. */
export async function createOrderActionDestination<F>(spec: OrderActionSpec<F>, config: OrderActionConfig, ctx: RunContext): Promise<Destination> {
  const conn = await openApiConnection(config, ctx);
  return new OrderActionDestination(spec, config, conn, ctx);
}

/** One lock file per (API base URL, contract) on this machine, under the system's temp folder (the machine-wide second lock). */
export function contractLockPath(baseUrl: string, contract: number): string {
  const key = createHash('sha256').update(`${baseUrl}|${contract}`).digest('hex').slice(0, 16);
  return join(tmpdir(), 'manoflow-locks', `order-actions-${contract}-${key}.lock`);
}
