/**
 * The `manomano-offers` destination (ManoMano "Product Update (Price & Stock)"): checks each
 * record, buffers the changed offers (delta against the last confirmed values, read from the
 * state store batch by batch), judges the safety limits on the whole run at close() (against
 * ManoMano's current values where the state has none), then PATCHes in batches, records what
 * ManoMano confirmed, reads the per-SKU feedback back and writes it as ndjson. A real run holds
 * its contract's lock in the state store from its first record to its last confirm. Under
 * `plan` nothing is sent or saved.
 */
import { join } from 'node:path';
import { ManoflowError } from '../../../errors.js';
import { registerSecret } from '../../../secrets.js';
import type { Destination, DestinationDefinition, DestinationResult, RunContext } from '../../../runtime/types.js';
import type { ManomanoOffersDestinationConfig } from '../../../types/generated/pipeline.js';
import { contractIdOf, openApiConnection, type ApiConnectionConfig } from '../../manomano-api.js';
import { keepFeedback } from '../../../state/feedback.js';
import { acquireStateLock, type HeldStateLock } from '../../../state/lease.js';
import { lockTimeoutFromEnv } from '../../../state/lock.js';
import { openStateStore, type StateHandle } from '../../../state/open.js';
import { DEFAULT_RETENTION_DAYS } from '../../../state/retention.js';
import { checkOffer, OFFER_ATTRIBUTES, type OfferUpdate } from './checks.js';
import { writeFeedback } from './feedback.js';
import { baseline, describeChange, evaluateSafety, hasChanged, needsRemoteBaseline, type PlannedUpdate, type SafetyLimits, type SafetyVerdict } from './plan.js';
import { readCurrentOffers } from './remote.js';
import { sendUpdates } from './send.js';
import { OfferSnapshot, offersLockName } from './snapshot.js';

/** SKUs per PATCH when the pipeline does not say (the client's default; no documented limit). */
export const DEFAULT_OFFER_BATCH = 1000;

/** Where the feedback report goes when `feedback_output` is not set. */
export function defaultFeedbackPath(ctx: RunContext): string {
  return join(ctx.stateDir, 'feedback', `${ctx.pipelineName.replace(/[^A-Za-z0-9._-]/g, '_')}.ndjson`);
}

function createOffers(config: ManomanoOffersDestinationConfig, ctx: RunContext): Destination {
  registerSecret(config.api_key);
  const contractId = contractIdOf(config.seller_contract_id);
  const plan = ctx.options.plan === true;
  const delta = config.delta !== false && !ctx.options.full;
  const scope = `${config.environment}-${contractId}`;
  const runId = `${ctx.pipelineName}@${new Date().toISOString()}`;
  const planned: PlannedUpdate[] = [];
  const seen = new Set<string>();
  let unchanged = 0;
  let state: { handle: StateHandle; snapshot: OfferSnapshot; lock?: HeldStateLock } | undefined;

  /**
   * Opens the state and (not under plan) takes the scope's lock before the first snapshot read:
   * held until close(), so a second run of this contract waits, then finds what the first one
   * confirmed unchanged, instead of sending the same offers again.
   */
  async function ready(): Promise<NonNullable<typeof state>> {
    if (state) return state;
    const handle = await openStateStore(ctx.stateDir, { log: ctx.log, backend: ctx.stateSettings, ifExists: plan, retentionDays: plan ? undefined : ctx.stateSettings?.retention_days ?? DEFAULT_RETENTION_DAYS });
    try {
      const timeoutMs = config.lock_timeout !== undefined ? Math.round(config.lock_timeout * 1000) : lockTimeoutFromEnv();
      const lock = plan ? undefined : await acquireStateLock(handle.store, offersLockName(scope), {
        timeoutMs, purpose: 'sending price & stock updates', signal: ctx.signal,
        onWait: (cur) => ctx.log.warn(`manomano-offers: waiting for another manoflow run (pid ${cur.holder.pid} on ${cur.holder.host}) that is sending price & stock updates to ${scope} (up to ${Math.round(timeoutMs / 1000)} s)`),
      });
      state = { handle, snapshot: new OfferSnapshot(handle.store, scope), lock };
      return state;
    } catch (err) {
      await handle.release();
      throw err;
    }
  }

  async function finish(): Promise<void> {
    const s = state;
    state = undefined;
    await s?.lock?.release();
    await s?.handle.release();
  }

  return {
    async write(batch) {
      let written = 0;
      let rejected = 0;
      const { snapshot } = await ready();
      const offers: { offer: OfferUpdate; where: { index: number; line?: number } }[] = [];
      for (const { record, position } of batch) {
        const checked = checkOffer(record);
        const where = { index: position.index, line: position.line };
        if (!checked.ok) {
          rejected++;
          const { code, attribute, message, hint } = checked.problem;
          ctx.reject({ stage: 'destination', ...where, id: position.id, attribute, code, message, hint });
          continue;
        }
        const { offer } = checked;
        if (seen.has(offer.sku)) {
          rejected++;
          ctx.reject({ stage: 'destination', ...where, id: offer.sku, attribute: 'sku', code: 'OFFER_SKU_DUPLICATE',
            message: `sku "${offer.sku}" appears more than once in this run; the first one is kept`, hint: 'deduplicate the source, or filter the rows you do not want' });
          continue;
        }
        seen.add(offer.sku);
        written++;
        offers.push({ offer, where });
      }
      const known = await snapshot.load(offers.map((o) => o.offer.sku));
      for (const { offer, where } of offers) {
        const before = known.get(offer.sku);
        if (delta && !hasChanged(offer, before)) {
          unchanged++;
          ctx.report({ id: offer.sku, action: 'update', outcome: 'skipped', code: 'UNCHANGED', benign: true, message: 'same price and stock as last confirmed', ...where });
          continue;
        }
        planned.push({ ...offer, before, ...where });
      }
      return { written, rejected };
    },

    async close(ok): Promise<DestinationResult> {
      try {
        if (!ok) return { outputs: [] };
        const { snapshot, lock } = await ready();
        const limits = config.safety ?? {};
        const baselineRead = ctx.options.force ? 0 : await readBaselines(limits);
        const verdict = evaluateSafety(limits, planned, planned.length + unchanged);
        const safety = { ...safetyDetails(verdict, ctx.options.force === true), ...(baselineRead ? { safety_baseline_read: baselineRead } : {}) };
        if (plan) return closePlan(verdict, safety);
        if (!verdict.ok && !ctx.options.force) {
          for (const u of planned) {
            ctx.report({ id: u.sku, action: 'update', outcome: 'skipped', code: 'SAFETY_LIMIT', message: 'not sent: the run broke a safety limit', change: describeChange(u, baseline(u)), index: u.index, line: u.line });
          }
          throw new ManoflowError('SAFETY_LIMIT', `safety limit: nothing was sent. ${verdict.broken.join('; ')}`, {
            hint: 'check the source data (an empty or partial stock export?); if these changes are intended, run again with --force or raise the limit under destination.safety',
          });
        }
        if (!verdict.ok) ctx.log.warn(`safety limit overridden by --force: ${verdict.broken.join('; ')}`);
        return await closeRun(safety, snapshot, lock);
      } finally {
        await finish();
      }
    },
  };

  /**
   * For the offers whose snapshot lacks a field a limit judges, reads ManoMano's current values
   * (item 12 of issue 11: no snapshot must not mean no limit). A failed read stops the run:
   * limits that cannot be judged are not passed silently. Returns how many SKUs were asked.
   */
  async function readBaselines(limits: SafetyLimits): Promise<number> {
    const missing = planned.filter((u) => needsRemoteBaseline(limits, u));
    if (missing.length === 0) return 0;
    const conn = await openApiConnection(config as ApiConnectionConfig, ctx);
    try {
      const current = await readCurrentOffers(conn.client, conn.contractId, missing.map((u) => u.sku));
      for (const u of missing) u.remote = current.get(u.sku) ?? {};
      ctx.log.info(`manomano-offers: ${missing.length} offer(s) have no confirmed values in the state: the safety limits judge them against ManoMano's current values (${current.size} found)`);
      return missing.length;
    } catch (err) {
      throw new ManoflowError('SAFETY_UNCHECKED', `the safety limits could not be checked: ${missing.length} offer(s) have no confirmed values in the state and reading ManoMano's current offers failed (${(err as Error).message}); nothing was sent`, {
        hint: 'run again when the API answers; --force sends without the safety limits', cause: err,
      });
    } finally {
      await conn.close();
    }
  }

  function closePlan(verdict: SafetyVerdict, safety: Record<string, unknown>): DestinationResult {
    const blocked = !verdict.ok && !ctx.options.force;
    for (const u of planned) {
      const change = describeChange(u, baseline(u));
      if (blocked) ctx.report({ id: u.sku, action: 'update', outcome: 'skipped', code: 'SAFETY_LIMIT', message: 'a run would stop on a safety limit and send nothing (unless --force)', change, index: u.index, line: u.line });
      else ctx.report({ id: u.sku, action: 'update', outcome: 'would-send', change, index: u.index, line: u.line });
    }
    if (!verdict.ok) ctx.log.warn(`safety limit: ${verdict.broken.join('; ')}${blocked ? ' — a run would send nothing (use --force to override)' : ''}`);
    return { outputs: [], details: { would_send: blocked ? 0 : planned.length, unchanged, delta, ...safety } };
  }

  async function closeRun(safety: Record<string, unknown>, snapshot: OfferSnapshot, lock: HeldStateLock | undefined): Promise<DestinationResult> {
    const details: Record<string, unknown> = { sent: 0, unchanged, refused: 0, failed: 0, delta, ...safety, snapshot: snapshot.location };
    const feedbackPath = config.feedback === false ? undefined
      : config.feedback_output ? ctx.resolvePath(config.feedback_output) : defaultFeedbackPath(ctx);
    const keep = async (lines: object[]) => {
      await keepFeedback(state!.handle.store, ctx.pipelineName, runId, lines).catch((err: unknown) => ctx.log.warn(`feedback: not kept in the state store (${(err as Error).message})`));
    };
    if (planned.length === 0) {
      if (feedbackPath) await writeFeedback(undefined, contractId, [], feedbackPath, ctx.log);
      return { outputs: feedbackPath ? [feedbackPath] : [], details: { ...details, feedback: feedbackPath ?? null } };
    }
    const batchSize = config.batch_size ?? DEFAULT_OFFER_BATCH;
    const conn = await openApiConnection(config as ApiConnectionConfig, ctx, { batchSize });
    try {
      const sent = await sendUpdates(conn.client, conn.contractId, planned, batchSize, snapshot, ctx, lock?.lease);
      Object.assign(details, { sent: sent.sent, refused: sent.refused, failed: sent.failed });
      await lock?.release(); // what follows only reads ManoMano and writes the feedback file
      const written = feedbackPath ? await writeFeedback(conn.client, conn.contractId, sent.batches, feedbackPath, ctx.log) : undefined;
      if (written) await keep(written.lines);
      details.feedback = written?.path ?? null;
      if (sent.stopped) {
        const e = sent.stopped;
        throw new ManoflowError('OFFERS_SEND_INCOMPLETE',
          `${sent.sent + sent.refused} of ${planned.length} offer update(s) answered by ManoMano (${sent.sent} sent, ${sent.refused} refused), ${sent.failed} not confirmed: ${e.message}`, {
            hint: `${e.hint ? `${e.hint}; ` : ''}re-run: what ManoMano confirmed is not sent again`, cause: e,
          });
      }
      return { outputs: written ? [written.path] : [], details };
    } finally {
      await conn.close();
    }
  }
}

/** `safety` is one readable line for the summary; `safety_check` holds the figures. */
function safetyDetails(v: SafetyVerdict, force: boolean): Record<string, unknown> {
  const line = v.ok
    ? `ok (${v.zeroing} of ${v.offers} to zero stock, ${v.priceDrops} big price drop(s))`
    : `${force ? 'overridden by --force' : 'broken'}: ${v.broken.join('; ')}`;
  return {
    safety: line,
    safety_check: { ok: v.ok, forced: !v.ok && force, offers: v.offers, zeroing: v.zeroing, zeroing_percent: v.zeroingPercent, price_drops: v.priceDrops, worst_drops: v.worstDrops, broken: v.broken },
  };
}

/** The manomano-offers destination definition (registry entry). */
const manomanoOffers: DestinationDefinition<ManomanoOffersDestinationConfig> = {
  kind: 'destination',
  type: 'manomano-offers',
  summary: 'ManoMano Product Update (Price & Stock): PATCHes price and stock of existing offers, delta only, with safety limits and feedback.',
  attributes: OFFER_ATTRIBUTES,
  strictAttributes: true,
  api: true,
  batchSize: 500,
  checkRecord(record) {
    const r = checkOffer(record);
    return r.ok ? [] : [{ stage: 'destination', id: typeof record.sku === 'string' ? record.sku : undefined, ...r.problem }];
  },
  create: createOffers,
};

export default manomanoOffers;
