/**
 * `manoflow state`: what the state store of a pipeline (or a state dir) holds, and its upkeep.
 *   stats    what is there: order-action entries by state, offers per scope, cursors, feedback, locks
 *   prune    applies retention now (done entries, feedback, report files older than N days)
 *   check    reads back from ManoMano the orders of pending entries and records what it finds
 *   feedback the feedback lines kept for a pipeline, as NDJSON
 * The state dir comes from the pipeline's `state.dir` (default `.manoflow` beside it) or --dir.
 */
import { resolve } from 'node:path';
import { loadPipeline, type LoadedPipeline } from '../config/load.js';
import { ManoflowError, PipelineConfigError } from '../errors.js';
import type { StateSettings } from '../runtime/types.js';
import { openStateStore } from '../state/open.js';
import { applyRetention, DEFAULT_RETENTION_DAYS, RETENTION_CURSOR } from '../state/retention.js';
import { ACTION_STATES, type StoreStats } from '../state/store.js';
import { EXIT, intFlag, parseCommandArgs, type CliCommand, type Flags } from './command.js';
import { printJson } from './output.js';
import { checkPending } from './state-check.js';

const usage = [
  'manoflow state stats PIPELINE|--dir DIR [--json]',
  'manoflow state prune PIPELINE|--dir DIR [--days N] [--dry-run] [--json]',
  'manoflow state check PIPELINE [--dry-run] [--json]',
  'manoflow state feedback PIPELINE [--since DATE] [--limit N]',
].join('\n       ');

const flags = {
  dir: { type: 'string', value: 'DIR', description: 'a state directory, instead of a pipeline file (stats, prune)' },
  days: { type: 'string', value: 'N', description: "prune: keep N days of history (default: the pipeline's state.retention_days)" },
  'dry-run': { type: 'boolean', description: 'say what would be pruned or resolved, change nothing' },
  json: { type: 'boolean', description: 'print the result as JSON' },
  since: { type: 'string', value: 'DATE', description: 'feedback: lines from this date on (ISO-8601)' },
  limit: { type: 'string', value: 'N', description: 'feedback: at most N lines' },
} satisfies Flags;

/** Why: stats and prune need only the state dir and settings: a pipeline whose env variables are unset still names them. */
export function stateOfPipeline(file: string): { pipeline: LoadedPipeline; dir: string; retentionDays?: number; backend?: StateSettings } {
  const p = loadPipeline(file);
  const fatal = p.diagnostics.filter((d) => d.severity === 'error' && (d.code === 'CFG_FILE_NOT_FOUND' || d.code.startsWith('CFG_YAML') || d.code === 'CFG_DUPLICATE_KEY'));
  if (fatal.length) throw new PipelineConfigError(fatal);
  const state = (p.config.state ?? {}) as StateSettings;
  return { pipeline: p, dir: resolve(p.dir, state.dir ?? '.manoflow'), retentionDays: state.retention_days, backend: state };
}

export const command: CliCommand = {
  name: 'state',
  summary: 'Inspect and maintain the state store: stats, prune (retention), check (pending order actions), feedback.',
  usage,
  flags,
  notes: [
    'stats: what the state holds; prune: drop history older than the retention; check: resolve pending order actions',
    "by reading the orders back from ManoMano; feedback: ManoMano's per-SKU feedback of the last runs",
  ],
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseCommandArgs(rest, flags, usage);
    if (sub === 'check') {
      if (positionals.length !== 1 || values.dir) throw new ManoflowError('CLI_USAGE', 'state check needs exactly one pipeline file (its API connection reads the orders back)', { hint: `usage: ${usage}` });
      return checkPending(positionals[0]!, { dryRun: values['dry-run'] === true, json: values.json === true });
    }
    if (sub !== 'stats' && sub !== 'prune' && sub !== 'feedback') {
      throw new ManoflowError('CLI_USAGE', sub ? `unknown state command "${sub}"` : 'missing state command', { hint: `usage: ${usage}` });
    }
    if ((positionals.length === 1) === (values.dir !== undefined)) {
      throw new ManoflowError('CLI_USAGE', `state ${sub} needs a pipeline file or --dir DIR (one of them)`, { hint: `usage: ${usage}` });
    }
    if (sub === 'feedback' && values.dir) throw new ManoflowError('CLI_USAGE', 'state feedback needs the pipeline file (its name selects the lines)', { hint: `usage: ${usage}` });
    const target = positionals[0] ? stateOfPipeline(positionals[0]) : { dir: resolve(values.dir!), retentionDays: undefined, pipeline: undefined };
    const handle = await openStateStore(target.dir, { backend: 'backend' in target ? target.backend : undefined, log: { info: (m) => process.stderr.write(`${m}\n`), warn: (m) => process.stderr.write(`warning: ${m}\n`) } });
    try {
      if (sub === 'stats') {
        const stats = await handle.store.stats();
        const last = (await handle.store.loadCursor(RETENTION_CURSOR)) as { at?: string; days?: number } | undefined;
        if (last?.at) stats.cursors--; // the retention's own bookmark is not an import cursor
        if (values.json) printJson({ ...stats, retention: { days: target.retentionDays ?? DEFAULT_RETENTION_DAYS, last_applied: last?.at ?? null } });
        else process.stdout.write(formatStats(stats, target.retentionDays ?? DEFAULT_RETENTION_DAYS, last?.at));
        return EXIT.ok;
      }
      if (sub === 'prune') {
        const days = intFlag('days', values.days) ?? target.retentionDays ?? DEFAULT_RETENTION_DAYS;
        if (days < 1) throw new ManoflowError('CLI_USAGE', '--days must be 1 or more', { hint: 'retention keeps at least a day of history' });
        const r = await applyRetention(handle.store, target.dir, days, { dryRun: values['dry-run'] === true });
        const kept = (await handle.store.stats()).actions;
        if (values.json) printJson({ dry_run: values['dry-run'] === true, days, ...r, kept: { pending: kept.pending, failed: kept.failed, refused: kept.refused, done: kept.done } });
        else {
          const verb = values['dry-run'] ? 'would remove' : 'removed';
          process.stdout.write(`${verb} ${r.done} done order-action entr${r.done === 1 ? 'y' : 'ies'}, ${r.feedback} feedback line(s) and ${r.reports} report file(s) older than ${r.cutoff} (retention ${days} days)\n`
            + `kept ${kept.pending} pending, ${kept.failed} failed and ${kept.refused} refused entr${kept.pending + kept.failed + kept.refused === 1 ? 'y' : 'ies'}: retention never removes them${kept.pending ? ' (`manoflow state check PIPELINE` resolves pending ones)' : ''}\n`);
        }
        return EXIT.ok;
      }
      const lines = await handle.store.listFeedback({ pipeline: target.pipeline!.config.name, since: values.since, limit: intFlag('limit', values.limit) });
      for (const l of lines) process.stdout.write(`${JSON.stringify({ run: l.run, at: l.at, ...l.line })}\n`);
      if (lines.length === 0) process.stderr.write(`no feedback kept for pipeline "${target.pipeline!.config.name}" in ${handle.store.location}\n`);
      return EXIT.ok;
    } finally {
      await handle.release();
    }
  },
};

/** Why: the human view of `stats`: one line per kind of state, counts first. */
export function formatStats(s: StoreStats, retentionDays: number, lastPrune: string | undefined): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const size = s.backend.bytes === undefined ? '' : `, ${(s.backend.bytes / 1048576).toFixed(1)} MB`;
  const lines = [
    `state: ${s.backend.location} (${s.backend.kind}, schema ${s.backend.schemaVersion}${size})`,
    `order actions: ${ACTION_STATES.map((st) => `${n(s.actions[st])} ${st}`).join(', ')}${s.oldestDone ? ` (oldest done: ${s.oldestDone})` : ''}`,
    `offers: ${s.offers.length ? s.offers.map((o) => `${o.scope} ${n(o.skus)} SKU(s)`).join('; ') : 'none'}`,
    `cursors: ${n(s.cursors)}`,
    `feedback: ${n(s.feedback.lines)} line(s)${s.feedback.oldest ? ` (oldest: ${s.feedback.oldest})` : ''}`,
    `locks: ${s.locks.length ? s.locks.map((l) => `${l.name} held by pid ${l.holder.pid} on ${l.holder.host}${l.holder.purpose ? ` (${l.holder.purpose})` : ''} until ${new Date(l.expiresAt).toISOString()}`).join('; ') : 'none held'}`,
    `retention: ${retentionDays} days for done entries, feedback and reports (last applied: ${lastPrune ?? 'never'}); pending, failed and refused entries are kept`,
  ];
  if (s.actions.pending) lines.push(`hint: ${n(s.actions.pending)} pending entr${s.actions.pending === 1 ? 'y' : 'ies'} (left by an interrupted run): \`manoflow state check PIPELINE\` reads the orders back from ManoMano`);
  return lines.join('\n') + '\n';
}
