/**
 * The `manomano-offers` destination (ManoMano "Product Update (Price & Stock)"): checks each
 * record, buffers the changed offers (delta against the last confirmed values), judges the safety
 * limits on the whole run at close(), then PATCHes in batches, journals what ManoMano confirmed,
 * reads the per-SKU feedback back and writes it as ndjson. Under `plan` nothing is sent or saved.
 */
import { join } from 'node:path';
import { ManoflowError } from '../../../errors.js';
import { registerSecret } from '../../../secrets.js';
import type { Destination, DestinationDefinition, DestinationResult, RunContext } from '../../../runtime/types.js';
import type { ManomanoOffersDestinationConfig } from '../../../types/generated/pipeline.js';
import { contractIdOf, openApiConnection, type ApiConnectionConfig } from '../../manomano-api.js';
import { checkOffer, OFFER_ATTRIBUTES } from './checks.js';
import { writeFeedback } from './feedback.js';
import { describeChange, evaluateSafety, hasChanged, type PlannedUpdate, type SafetyVerdict } from './plan.js';
import { sendUpdates } from './send.js';
import { OfferSnapshot } from './snapshot.js';

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
  const snapshot = new OfferSnapshot(ctx.stateDir, `${config.environment}-${contractId}`);
  const planned: PlannedUpdate[] = [];
  const seen = new Set<string>();
  let unchanged = 0;

  return {
    async write(batch) {
      let written = 0;
      let rejected = 0;
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
        const before = snapshot.get(offer.sku);
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
      if (!ok) return { outputs: [] };
      const verdict = evaluateSafety(config.safety ?? {}, planned, planned.length + unchanged);
      const safety = safetyDetails(verdict, ctx.options.force === true);
      if (plan) return closePlan(verdict, safety);
      if (!verdict.ok && !ctx.options.force) {
        for (const u of planned) {
          ctx.report({ id: u.sku, action: 'update', outcome: 'skipped', code: 'SAFETY_LIMIT', message: 'not sent: the run broke a safety limit', change: describeChange(u, u.before), index: u.index, line: u.line });
        }
        throw new ManoflowError('SAFETY_LIMIT', `safety limit: nothing was sent. ${verdict.broken.join('; ')}`, {
          hint: 'check the source data (an empty or partial stock export?); if these changes are intended, run again with --force or raise the limit under destination.safety',
        });
      }
      if (!verdict.ok) ctx.log.warn(`safety limit overridden by --force: ${verdict.broken.join('; ')}`);
      return closeRun(safety);
    },
  };

  function closePlan(verdict: SafetyVerdict, safety: Record<string, unknown>): DestinationResult {
    const blocked = !verdict.ok && !ctx.options.force;
    for (const u of planned) {
      const change = describeChange(u, u.before);
      if (blocked) ctx.report({ id: u.sku, action: 'update', outcome: 'skipped', code: 'SAFETY_LIMIT', message: 'a run would stop on a safety limit and send nothing (unless --force)', change, index: u.index, line: u.line });
      else ctx.report({ id: u.sku, action: 'update', outcome: 'would-send', change, index: u.index, line: u.line });
    }
    if (!verdict.ok) ctx.log.warn(`safety limit: ${verdict.broken.join('; ')}${blocked ? ' — a run would send nothing (use --force to override)' : ''}`);
    return { outputs: [], details: { would_send: blocked ? 0 : planned.length, unchanged, delta, ...safety } };
  }

  async function closeRun(safety: Record<string, unknown>): Promise<DestinationResult> {
    const details: Record<string, unknown> = { sent: 0, unchanged, refused: 0, failed: 0, delta, ...safety, snapshot: snapshot.path };
    const feedbackPath = config.feedback === false ? undefined
      : config.feedback_output ? ctx.resolvePath(config.feedback_output) : defaultFeedbackPath(ctx);
    if (planned.length === 0) {
      snapshot.commit();
      if (feedbackPath) await writeFeedback(undefined, contractId, [], feedbackPath, ctx.log);
      return { outputs: feedbackPath ? [feedbackPath] : [], details: { ...details, feedback: feedbackPath ?? null } };
    }
    const batchSize = config.batch_size ?? DEFAULT_OFFER_BATCH;
    const conn = await openApiConnection(config as ApiConnectionConfig, ctx, { batchSize });
    try {
      const sent = await sendUpdates(conn.client, conn.contractId, planned, batchSize, snapshot, ctx);
      snapshot.commit();
      Object.assign(details, { sent: sent.sent, refused: sent.refused, failed: sent.failed });
      const feedback = feedbackPath ? (await writeFeedback(conn.client, conn.contractId, sent.batches, feedbackPath, ctx.log)).path : null;
      details.feedback = feedback;
      if (sent.stopped) {
        const e = sent.stopped;
        throw new ManoflowError('OFFERS_SEND_INCOMPLETE',
          `${sent.sent + sent.refused} of ${planned.length} offer update(s) answered by ManoMano (${sent.sent} sent, ${sent.refused} refused), ${sent.failed} not confirmed: ${e.message}`, {
            hint: `${e.hint ? `${e.hint}; ` : ''}re-run: what ManoMano confirmed is not sent again`, cause: e,
          });
      }
      return { outputs: feedback ? [feedback] : [], details };
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
