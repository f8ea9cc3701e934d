/**
 * Guards applied before anything is committed or sent (skipped with --force). A file output where
 * every record was rejected keeps the previous file (a broken mapping must not empty it); a feed
 * ManoMano fetches is never replaced by an empty file (an empty or truncated export, a filter that
 * drops everything) nor by a --limit sample; `options.max_reject_percent` caps the share of rejects.
 */
import { ManoflowError } from '../errors.js';

/** One target's counts: `records` are what the source records became (= read without `each`). */
export interface GuardCounts { read: number; written: number; rejected: number; filtered: number; records: number }

export function commitGuard(
  counts: GuardCounts,
  dest: { api?: boolean; feed?: boolean },
  run: { limited: boolean; outputOverride: boolean },
  maxRejectPercent: number | undefined,
): ManoflowError | undefined {
  const force = '; --force writes it anyway';
  const total = Math.max(counts.records, counts.read);
  if (!dest.api && counts.written === 0 && counts.rejected > 0) {
    return new ManoflowError('RUN_NOTHING_WRITTEN', `every record was rejected (${counts.rejected} of ${total}); the previous output is kept`, {
      hint: `read the reject report and fix the mapping${force}`,
    });
  }
  if (dest.feed && counts.written === 0) {
    return new ManoflowError('RUN_NOTHING_WRITTEN', `no record to write (read ${counts.read}, filtered ${counts.filtered}, rejected ${counts.rejected}); the previous feed is kept`, {
      hint: `an empty or truncated export, or a filter that drops everything? check the source${force}`,
    });
  }
  if (dest.feed && run.limited && !run.outputOverride) {
    return new ManoflowError('RUN_LIMITED_FEED', 'a --limit run does not replace the feed ManoMano fetches; the previous feed is kept', {
      hint: `write the sample elsewhere with --output sample.csv${force}`,
    });
  }
  if (maxRejectPercent !== undefined && total > 0 && (counts.rejected * 100) / total > maxRejectPercent) {
    const pct = ((counts.rejected * 100) / total).toFixed(1);
    return new ManoflowError('SAFETY_REJECTS', `${pct}% of the records were rejected (${counts.rejected} of ${total}), above options.max_reject_percent ${maxRejectPercent}%: nothing was written or sent`, {
      hint: `read the reject report and fix the source or the mapping${force}`,
    });
  }
  return undefined;
}
