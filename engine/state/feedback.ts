/**
 * Feedback history: the lines a run writes to its feedback file (what ManoMano answered per SKU
 * or per order) are also kept in the state store, so `manoflow state feedback` can show past runs
 * after the file was rewritten, and retention removes them after `state.retention_days`.
 */
import { redact } from '../secrets.js';
import type { StateStore } from './store.js';

/** Why: one place redacts and stamps the lines before they are kept; best effort is the caller's call. */
export async function keepFeedback(store: StateStore, pipeline: string, run: string, lines: readonly object[]): Promise<void> {
  if (lines.length === 0) return;
  const at = new Date().toISOString();
  await store.recordFeedback(lines.map((l) => {
    const line = JSON.parse(redact(JSON.stringify(l))) as Record<string, unknown>;
    return { pipeline, run, at: typeof line.at === 'string' ? line.at : at, line };
  }));
}
