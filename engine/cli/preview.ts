/**
 * `manoflow preview PIPELINE`: a before/after view of a few records and, for an attribute, its
 * lineage through each rule box, so a user sees which rule box did what. `--json` for tools.
 */
import { ManoflowError, PipelineConfigError } from '../errors.js';
import { previewPipeline, type PreviewRecord } from '../runtime/preview.js';
import { redact } from '../secrets.js';
import { showValue } from '../json-text.js';
import { terminalField, terminalSafe } from '../terminal.js';
import { EXIT, intFlag, parseCommandArgs, type CliCommand, type Flags } from './command.js';
import { printDiagnostics, printJson } from './output.js';
import { palette } from './colour.js';

const usage = 'manoflow preview PIPELINE [--market M] [--limit N] [--sku SKU] [--attribute NAME] [--json]';

const flags = {
  market: { type: 'string', value: 'M', description: 'preview this market of a pipeline that declares markets (default: the first)' },
  limit: { type: 'string', value: 'N', description: 'how many records to show (default 5; 1 with --sku)' },
  sku: { type: 'string', value: 'SKU', description: 'show the record whose mapped sku (or source id) is SKU; exit 1 when there is none' },
  attribute: { type: 'string', short: 'a', value: 'NAME', description: 'trace one attribute: its value after each rule box' },
  json: { type: 'boolean', description: 'print the records (before, after, verdict, lineage) as JSON' },
} satisfies Flags;

// JSON text escapes line breaks and C0 controls; terminalField catches DEL, C1 and bidi controls
const show = (v: unknown): string => (v === undefined ? '(undefined)' : terminalField(showValue(v, 100)));
const showId = (id: unknown): string => (typeof id === 'string' ? id : showValue(id, 100));

function render(records: PreviewRecord[], attribute?: string): string {
  const c = palette(process.stdout);
  const lines: string[] = [];
  for (const r of records) {
    const id = r.after?.sku ?? r.after?.order_reference ?? r.position.id ?? `#${r.position.index}`;
    lines.push(`── record ${terminalField(showId(id))} (source line ${r.position.line ?? '?'})${r.filtered ? ' [filtered out]' : ''}`);
    if (r.error) lines.push(`   ${c.error('✗')} ${c.code(r.error.code)}: ${terminalSafe(r.error.message)}`);
    if (r.verdict?.accepted) lines.push(`   ManoMano: ${c.ok('✓ accepted')}`);
    for (const v of r.verdict?.rejects ?? []) {
      lines.push(`   ManoMano: ${c.error('✗ rejected')} ${c.code(v.code)}${v.attribute ? ` (${terminalField(v.attribute)})` : ''}: ${terminalSafe(v.message)}`);
      if (v.hint) lines.push(`     ${c.dim('hint:')} ${terminalSafe(v.hint)}`);
    }
    for (const w of r.verdict?.warnings ?? []) {
      lines.push(`   ManoMano: ${c.warning('! warning')} ${c.code(w.code)}${w.attribute ? ` (${terminalField(w.attribute)})` : ''}: ${terminalSafe(w.message)}`);
    }
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
  if (records.length === 0) lines.push('the source has no record');
  return redact(lines.join('\n')) + '\n';
}

export const command: CliCommand = {
  name: 'preview',
  summary: 'Show a few records before and after mapping, the destination\'s verdict on each (accepted, or the reject code and message), and the lineage of an attribute through its rule boxes.',
  usage,
  flags,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, flags, usage);
    if (positionals.length !== 1) throw new ManoflowError('CLI_USAGE', 'expected exactly one pipeline file', { hint: `usage: ${usage}` });
    try {
      const records = await previewPipeline(positionals[0]!, {
        limit: intFlag('limit', values.limit) ?? (values.sku ? 1 : 5), sku: values.sku, attribute: values.attribute, market: values.market,
      });
      if (values.json) printJson(records);
      else process.stdout.write(render(records, values.attribute));
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
