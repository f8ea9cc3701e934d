/**
 * `manoflow preview PIPELINE`: a before/after view of a few records and, for an attribute, its
 * lineage through each rule box, so a user sees which rule box did what. `--json` for tools.
 */
import { ManoflowError, PipelineConfigError } from '../errors.js';
import { previewPipeline, type PreviewRecord } from '../runtime/preview.js';
import { redact } from '../secrets.js';
import { EXIT, intFlag, marketsFlag, parseCommandArgs, type CliCommand } from './command.js';
import { printDiagnostics, printJson } from './output.js';
import { showValue } from '../json-text.js';
import { terminalField, terminalSafe } from '../terminal.js';

const usage = 'manoflow preview PIPELINE [--market M] [--limit N] [--sku SKU] [--attribute NAME] [--json]';

// JSON text escapes line breaks and C0 controls; terminalField catches DEL, C1 and bidi controls
const show = (v: unknown): string => (v === undefined ? '(undefined)' : terminalField(showValue(v, 100)));
const showId = (id: unknown): string => (typeof id === 'string' ? id : showValue(id, 100));

function render(records: PreviewRecord[], attribute?: string, sku?: string): string {
  const lines: string[] = [];
  for (const r of records) {
    const id = r.after?.sku ?? r.after?.order_reference ?? r.position.id ?? `#${r.position.index}`;
    lines.push(`── record ${terminalField(showId(id))} (source line ${r.position.line ?? '?'})${r.filtered ? ' [filtered out]' : ''}`);
    if (r.error) lines.push(`   ✗ ${r.error.code}: ${terminalSafe(r.error.message)}`);
    if (!attribute) {
      lines.push('   before:');
      for (const [k, v] of Object.entries(r.before)) lines.push(`     ${terminalField(k).padEnd(28)} ${show(v)}`);
      const outputs = r.items ?? (r.after ? [r.after] : []);
      outputs.forEach((after, i) => {
        lines.push(outputs.length > 1 ? `   after (item ${i + 1} of ${outputs.length}):` : '   after:');
        for (const [k, v] of Object.entries(after)) lines.push(`     ${terminalField(k).padEnd(28)} ${show(v)}`);
      });
    }
    for (const [name, steps] of Object.entries(r.lineage ?? {})) {
      if (!attribute && steps.length <= 1) continue; // plain mappings: shown above
      lines.push(`   lineage of ${terminalField(name)}:`);
      for (const s of steps) lines.push(`     ${s.step.padEnd(28)} ${show(s.value)}`);
    }
    lines.push('');
  }
  if (records.length === 0) lines.push(sku === undefined ? 'the source has no record' : `no record with sku (or source id) "${sku}" in the source`);
  return redact(lines.join('\n')) + '\n';
}

export const command: CliCommand = {
  name: 'preview',
  summary: 'Show a few records before and after mapping, and the lineage of an attribute through its rule boxes.',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      limit: { type: 'string' }, market: { type: 'string' }, sku: { type: 'string' }, attribute: { type: 'string', short: 'a' }, json: { type: 'boolean' },
    }, usage);
    if (positionals.length !== 1) throw new ManoflowError('CLI_USAGE', 'expected exactly one pipeline file', { hint: `usage: ${usage}` });
    try {
      const records = await previewPipeline(positionals[0]!, {
        limit: intFlag('limit', values.limit) ?? (values.sku ? 1 : 5), sku: values.sku, attribute: values.attribute, market: values.market,
      });
      if (values.json) printJson(records);
      else process.stdout.write(render(records, values.attribute, values.sku));
      return EXIT.ok;
    } catch (err) {
      if (err instanceof PipelineConfigError) {
        if (values.json) printJson({ ok: false, diagnostics: err.diagnostics });
        else printDiagnostics(err.diagnostics);
        return EXIT.config;
      }
      // Tools reading --json get the error as JSON too (the text goes to stderr without --json).
      if (values.json && err instanceof ManoflowError) {
        printJson({ ok: false, error: { code: err.code, message: err.message, hint: err.hint } });
        return err.code.startsWith('CLI_') || err.code.startsWith('CFG_') ? EXIT.config : EXIT.failed;
      }
      throw err;
    }
  },
};
