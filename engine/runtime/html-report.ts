/**
 * The HTML run report: one self-contained page (inline CSS and SVG, no script, no network) that a
 * person opens after a run: the counts, the rejects by code with examples and hints, how often
 * each attribute is filled, a histogram of prices, the run's settings (secrets masked), and the
 * item results of API destinations. Written atomically, like every file manoflow writes.
 */
import { redact } from '../secrets.js';
import { openAtomicFile } from './atomic-file.js';
import type { RunStats } from './run-stats.js';
import type { ItemResult, Reject } from './types.js';

/** What the page is made of: the summary's counts and the collected statistics. */
export interface HtmlReportInput {
  pipeline: string;
  pipelineFile: string;
  startedAt: Date;
  durationMs: number;
  ok: boolean;
  plan: boolean;
  counts: { read: number; written: number; rejected: number; filtered: number };
  rejectsByCode: Record<string, number>;
  /** Per-record warnings by code: records written anyway. */
  warningsByCode?: Record<string, number>;
  items?: Record<string, number>;
  outputs: string[];
  rejectReport: string;
  error?: { code: string; message: string; hint?: string };
  settings: unknown;
  stats: RunStats;
}

const esc = (v: unknown): string => redact(String(v ?? '')).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (n: number): string => n.toLocaleString('en-US');
const money = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(2));

/** Settings with anything that looks like a credential masked, whatever redact() knows. */
export function maskSettings(value: unknown, key = ''): unknown {
  if (/api_?key|secret|password|token|authorization/i.test(key) && value !== undefined && value !== null && value !== '') return '***';
  if (Array.isArray(value)) return value.map((v) => maskSettings(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSettings(v, k)]));
  return value;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2430;background:#f5f6f8}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:2px solid #dfe3ea;padding-bottom:4px}
.sub{color:#5b6472;margin:0 0 16px}.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{background:#fff;border-radius:8px;padding:12px 16px;min-width:120px;box-shadow:0 1px 2px #0001}
.card b{display:block;font-size:26px}.ok{color:#12805c}.bad{color:#c0392b}.warn{color:#b7791f}
table{border-collapse:collapse;width:100%;background:#fff;border-radius:8px;overflow:hidden;box-shadow:0 1px 2px #0001}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #eef0f3;vertical-align:top}th{background:#eef1f6;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}code{font:12px ui-monospace,Menlo,Consolas,monospace;background:#eef1f6;padding:1px 4px;border-radius:4px}
.hint{color:#5b6472;font-size:13px}pre{background:#fff;padding:12px;border-radius:8px;overflow:auto;font:12px ui-monospace,Menlo,Consolas,monospace;box-shadow:0 1px 2px #0001}
svg{background:#fff;border-radius:8px;box-shadow:0 1px 2px #0001}.none{color:#5b6472;font-style:italic}
`;

function cards(i: HtmlReportInput): string {
  const card = (label: string, n: number, cls = '') => `<div class="card"><b class="${cls}">${fmt(n)}</b>${esc(label)}</div>`;
  const passed = i.items ? (i.plan ? 'would send' : 'to send') : i.plan ? 'would write' : 'written';
  return `<div class="cards">${card('read', i.counts.read)}${card(passed, i.counts.written, 'ok')}${card('rejected', i.counts.rejected, i.counts.rejected ? 'bad' : '')}${card('filtered', i.counts.filtered)}${
    Object.entries(i.items ?? {}).map(([k, n]) => card(`ManoMano: ${k}`, n, k === 'refused' || k === 'failed' ? 'bad' : '')).join('')}</div>`;
}

function rejects(i: HtmlReportInput): string {
  const codes = Object.entries(i.rejectsByCode).sort((a, b) => b[1] - a[1]);
  if (codes.length === 0) return '<p class="none">No record was rejected.</p>';
  return `${problemTable(codes, i.stats.rejectExamples)}
<p class="hint">Every problem, one row each: <code>${esc(i.rejectReport)}</code></p>`;
}

function warnings(i: HtmlReportInput): string {
  const codes = Object.entries(i.warningsByCode ?? {}).sort((a, b) => b[1] - a[1]);
  if (codes.length === 0) return '';
  return `<h2 id="warnings">Warnings by code</h2><p class="sub">Records written anyway: worth a look.</p>${problemTable(codes, i.stats.warningExamples)}`;
}

/** Codes with their count, their first examples and the hint. */
function problemTable(codes: [string, number][], examplesOf: Map<string, Reject[]>): string {
  const rows = codes.map(([code, n]) => {
    const examples = examplesOf.get(code) ?? [];
    const hint = examples.find((e) => e.hint)?.hint;
    const list = examples.map((e) => `<li>${e.id ? `<code>${esc(e.id)}</code> ` : ''}${e.line ? `line ${e.line}: ` : ''}${e.attribute ? `<b>${esc(e.attribute)}</b>: ` : ''}${esc(e.message)}</li>`).join('');
    return `<tr><td><code>${esc(code)}</code></td><td class="num">${fmt(n)}</td><td><ul>${list}</ul>${hint ? `<div class="hint">What to do: ${esc(hint)}</div>` : ''}</td></tr>`;
  });
  return `<table><thead><tr><th>code</th><th>records</th><th>examples</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function fillRates(i: HtmlReportInput): string {
  const s = i.stats;
  if (s.records === 0) return '<p class="none">No record was mapped.</p>';
  const rows = [...s.filled.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const width = 600;
  const bar = 18;
  const svg = rows.map(([name, n], k) => {
    const share = n / s.records;
    const y = k * (bar + 6) + 4;
    const colour = share >= 0.98 ? '#2f9e6f' : share >= 0.5 ? '#e0a43a' : '#d0574b';
    return `<text x="4" y="${y + 13}" font-size="12">${esc(name)}</text><rect x="230" y="${y}" width="${Math.max(1, share * (width - 300))}" height="${bar}" fill="${colour}"/><text x="${236 + share * (width - 300)}" y="${y + 13}" font-size="12">${(share * 100).toFixed(1)}%</text>`;
  }).join('');
  return `<p class="sub">Share of the ${fmt(s.records)} mapped records where the attribute has a value.</p>
<svg role="img" aria-label="fill rate per attribute" width="${width}" height="${rows.length * (bar + 6) + 8}" xmlns="http://www.w3.org/2000/svg">${svg}</svg>`;
}

function prices(i: HtmlReportInput): string {
  const s = i.stats;
  const buckets = s.priceHistogram();
  if (buckets.length === 0 || !s.priceAttribute) return '<p class="none">No price among the mapped records.</p>';
  const width = 720;
  const height = 220;
  const max = Math.max(...buckets.map((b) => b.count));
  const w = (width - 40) / buckets.length;
  const bars = buckets.map((b, k) => {
    const h = max ? (b.count / max) * (height - 50) : 0;
    const x = 30 + k * w;
    return `<rect x="${x.toFixed(1)}" y="${(height - 30 - h).toFixed(1)}" width="${Math.max(1, w - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="#4a78c2"><title>${money(b.from)}–${money(b.to)}: ${b.count}</title></rect>` +
      (k % Math.ceil(buckets.length / 8) === 0 ? `<text x="${x.toFixed(1)}" y="${height - 12}" font-size="11">${money(b.from)}</text>` : '');
  }).join('');
  const median = s.medianBucket();
  return `<p class="sub"><code>${esc(s.priceAttribute)}</code> of ${fmt(s.prices)} records: from ${money(s.minPrice)} to ${money(s.maxPrice)}${median ? `, median about ${money(median.from)}–${money(median.to)}` : ''} (log scale).</p>
<svg role="img" aria-label="histogram of prices" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><line x1="28" y1="${height - 30}" x2="${width - 8}" y2="${height - 30}" stroke="#99a"/>${bars}</svg>`;
}

function items(i: HtmlReportInput): string {
  const s = i.stats;
  if (!i.items) return '';
  const row = (it: ItemResult) => `<tr><td><code>${esc(it.id)}</code></td><td>${esc(it.action)}</td><td class="${it.outcome === 'refused' || it.outcome === 'failed' ? 'bad' : it.outcome === 'skipped' && !it.benign ? 'warn' : 'ok'}">${esc(it.outcome)}</td><td>${esc(it.code)}</td><td>${esc(it.message)}</td><td>${esc(it.change)}</td></tr>`;
  const more = s.itemsSeen > s.items.length ? `<p class="hint">The first ${fmt(s.items.length)} of ${fmt(s.itemsSeen)} items; all are in the item report.</p>` : '';
  return `<h2 id="items">Items sent to ManoMano</h2>${s.items.length ? `<table><thead><tr><th>item</th><th>action</th><th>outcome</th><th>code</th><th>message</th><th>change</th></tr></thead><tbody>${s.items.map(row).join('')}</tbody></table>${more}` : '<p class="none">Nothing to send.</p>'}`;
}

/** Why: one function turns a run into the page; tests render it without running anything. */
export function renderHtmlReport(i: HtmlReportInput): string {
  const status = i.error ? `<span class="bad">FAILED: ${esc(i.error.code)} ${esc(i.error.message)}</span>` : i.plan ? '<span class="ok">plan</span>' : '<span class="ok">done</span>';
  const settings = JSON.stringify(maskSettings(i.settings), null, 2);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(i.pipeline)}: manoflow run report</title><style>${CSS}</style></head>
<body><main>
<h1>${esc(i.pipeline)}: run report</h1>
<p class="sub">${status} · ${esc(i.startedAt.toISOString())} · ${(i.durationMs / 1000).toFixed(1)} s · <code>${esc(i.pipelineFile)}</code></p>
<h2 id="summary">Summary</h2>${cards(i)}
${i.error?.hint ? `<p class="hint">What to do: ${esc(i.error.hint)}</p>` : ''}
${i.outputs.length ? `<p>Output: ${i.outputs.map((o) => `<code>${esc(o)}</code>`).join(', ')}</p>` : ''}
<h2 id="rejects">Rejects by code</h2>${rejects(i)}
${warnings(i)}
<h2 id="fill-rate">Fill rate per attribute</h2>${fillRates(i)}
<h2 id="prices">Prices</h2>${prices(i)}
${items(i)}
<h2 id="settings">Settings</h2><pre>${esc(settings)}</pre>
<p class="hint">Written by manoflow. This page needs no network.</p>
</main></body></html>
`;
}

/** Writes the page atomically; returns its path. */
export async function writeHtmlReport(path: string, input: HtmlReportInput): Promise<string> {
  const file = await openAtomicFile(path);
  try {
    await file.write(renderHtmlReport(input));
    await file.commit();
  } catch (err) {
    await file.abort();
    throw err;
  }
  return path;
}

/** Where the page goes: the setting's path, or beside the reject report (`x.rejects.csv` → `x.report.html`). */
export function htmlReportPath(setting: true | string, rejectReport: string, resolvePath: (p: string) => string): string {
  if (typeof setting === 'string') return resolvePath(setting);
  return rejectReport.replace(/\.rejects\.csv$/, '') + '.report.html';
}

/** Why: the run loop's one call: the finished summary and the collected statistics become the page. */
export async function writeRunReport(
  summary: { pipeline: string; ok: boolean; read: number; written: number; rejected: number; filtered: number; rejectsByCode: Record<string, number>; warningsByCode?: Record<string, number>; items?: Record<string, number>; outputs: string[]; rejectReport: string; durationMs: number; error?: { code: string; message: string; hint?: string } },
  run: { path: string; stats: RunStats; pipelineFile: string; startedAt: Date; plan: boolean; settings: unknown },
): Promise<string> {
  const { read, written, rejected, filtered } = summary;
  return writeHtmlReport(run.path, {
    pipeline: summary.pipeline, pipelineFile: run.pipelineFile, startedAt: run.startedAt, durationMs: summary.durationMs,
    ok: summary.ok, plan: run.plan, counts: { read, written, rejected, filtered }, rejectsByCode: summary.rejectsByCode, warningsByCode: summary.warningsByCode,
    items: summary.items, outputs: summary.outputs, rejectReport: summary.rejectReport, error: summary.error,
    settings: run.settings, stats: run.stats,
  });
}
