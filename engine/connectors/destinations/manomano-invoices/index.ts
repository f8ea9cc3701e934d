/**
 * `manomano-invoices`: uploads each order's invoice PDF to ManoMano (multipart POST
 * /api/v1/orders/{ref}/documents). One record per order: `order_reference` and `invoice_path`.
 * Built on the order-action machinery: checked per record, status pre-check, journalled `pending`
 * before each upload and `done` after ManoMano's confirmation, never twice for one order, `plan`
 * honoured, an item report line per order. An upload changes no status, so a `pending` entry (an
 * answer lost) cannot be proved applied: it is reported INVOICE_UNCONFIRMED and not resent unless
 * `--force`. See README.md.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import type { OrderStatus } from '../../../manomano/api-types.js';
import { ApiError, type BatchItemResult } from '../../../manomano/client/index.js';
import type { DestinationDefinition, Reject, Row } from '../../../runtime/types.js';
import type { ManomanoInvoicesDestinationConfig } from '../../../types/generated/pipeline.js';
import { createOrderActionDestination, recordRejects, text, type OrderActionConfig, type OrderActionSpec, type Problems } from '../../order-actions/index.js';

/** Reject and skip codes of this destination. */
export const INVOICE_CODES = {
  pathMissing: 'INVOICE_PATH_MISSING',
  fileNotFound: 'INVOICE_FILE_NOT_FOUND',
  notPdf: 'INVOICE_NOT_PDF',
  tooLarge: 'INVOICE_FILE_TOO_LARGE',
  unconfirmed: 'INVOICE_UNCONFIRMED',
} as const;

/** ASSUMPTION (not published): an invoice belongs to an accepted order, whatever happened to it after. */
export const DEFAULT_INVOICE_STATUSES: readonly OrderStatus[] = ['PREPARATION', 'SHIPPED', 'REFUNDING', 'REFUNDED'];

/** What one order's upload carries: the file, as checked when its record was read. */
export interface InvoiceFields { path: string; name: string; size: number; sha256: string }

/**
 * The settings the spec needs, defaults applied. `files: false` checks only the record (the pure
 * checkRecord of pipeline tests); a run also reads each file.
 */
export interface InvoiceSettings { dir: string; statuses: readonly OrderStatus[]; documentType: string; maxBytes: number; force: boolean; files: boolean }

const kb = (n: number) => (n < 1024 ? `${n} B` : `${Math.round(n / 1024)} kB`);

/** Checks the PDF a record names (exists, a file, a PDF, not too big); its fields, or undefined with the problem recorded. */
function readInvoice(record: Row, s: InvoiceSettings, p: Problems): InvoiceFields | undefined {
  const raw = text(record, 'invoice_path');
  if (raw === undefined) return p.add(INVOICE_CODES.pathMissing, 'invoice_path', 'invoice_path is missing', 'map `invoice_path` to the PDF of the order\'s invoice (relative to the destination\'s invoices_dir)');
  const path = isAbsolute(raw) ? raw : resolve(s.dir, raw);
  if (!s.files) {
    return raw.toLowerCase().endsWith('.pdf') ? { path, name: basename(path), size: 0, sha256: '' }
      : p.add(INVOICE_CODES.notPdf, 'invoice_path', `invoice file ${raw} is not a .pdf file`, 'ManoMano takes invoices as PDF files');
  }
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    size = st.size;
  } catch (err) {
    return p.add(INVOICE_CODES.fileNotFound, 'invoice_path', `invoice file ${raw} not found (looked at ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'})`, 'check the path and the destination\'s invoices_dir');
  }
  if (size > s.maxBytes) return p.add(INVOICE_CODES.tooLarge, 'invoice_path', `invoice file ${raw} has ${size} bytes, above max_file_bytes (${s.maxBytes})`, 'compress the PDF, or raise max_file_bytes if ManoMano accepts it');
  const head = Buffer.alloc(5);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') !== '%PDF-') return p.add(INVOICE_CODES.notPdf, 'invoice_path', `invoice file ${raw} is not a PDF (it does not start with %PDF-)`, 'ManoMano takes invoices as PDF files');
  return { path, name: basename(path), size, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') };
}

/** Why: the spec is exported so tests and docs read the exact rules. */
export function invoicesSpec(s: InvoiceSettings): OrderActionSpec<InvoiceFields> {
  return {
    type: 'manomano-invoices',
    from: s.statuses.includes('SHIPPED') ? 'SHIPPED' : s.statuses[0]!,
    allowed: s.statuses,
    withLines: false,
    unconfirmed: s.force ? undefined : {
      code: INVOICE_CODES.unconfirmed,
      message: (ref, run) => `the invoice upload for order ${ref} by run ${run} may or may not have reached ManoMano (no answer came back, and no order status tells); check the order's documents in the Toolbox, and re-run with --force to upload it again if it is missing`,
    },
    parse(record, p) {
      const fields = readInvoice(record, s, p);
      return fields ? { action: 'invoice', fields } : undefined;
    },
    conflict: (a, b) => (a.sha256 !== b.sha256 ? `invoice_path ${a.name} vs ${b.name} (one invoice per order)` : undefined),
    change: (_action, f) => `upload ${f.name} (${kb(f.size)})`,
    request: (f) => ({ document_type: s.documentType, file: f.name, size: f.size, sha256: f.sha256 }),
    async send(client, contract, _action, orders) {
      const out: BatchItemResult[] = [];
      for (const o of orders) {
        try {
          const r = await client.uploadDocument(contract, o.ref, { filename: o.fields.name, bytes: readFileSync(o.fields.path), documentType: s.documentType });
          const message = r.ok ? `uploaded as document ${r.documentId ?? '(no id returned)'}; ${o.fields.name} sha256 ${o.fields.sha256.slice(0, 12)}` : r.message;
          out.push({ order_reference: o.ref, ok: r.ok, httpCode: r.httpCode, appCode: r.appCode, message, ambiguous: r.ambiguous });
        } catch (err) {
          // A 429 that outlasted the retries was refused before any upload: safe to try again next run.
          if (!(err instanceof ApiError) || err.code !== 'API_RATE_LIMITED') {
            if (err instanceof ApiError) err.results = [...out];
            throw err;
          }
          out.push({ order_reference: o.ref, ok: false, httpCode: 429, appCode: err.code, message: err.message });
        }
      }
      return out;
    },
  };
}

function settingsOf(config: Partial<ManomanoInvoicesDestinationConfig>, pipelineDir: string, o: { force?: boolean; files: boolean }): InvoiceSettings {
  return {
    files: o.files,
    dir: resolve(pipelineDir, config.invoices_dir ?? '.'),
    statuses: (config.statuses as OrderStatus[] | undefined) ?? DEFAULT_INVOICE_STATUSES,
    documentType: config.document_type ?? 'INVOICE',
    maxBytes: config.max_file_bytes ?? 10 * 1024 * 1024,
    force: o.force === true,
  };
}

/**
 * Why: the record checks a run applies, as a pure function for the pipeline test runner: the
 * reference and an `invoice_path` naming a .pdf. The file itself (there, a PDF, not too big) is
 * read by a run only.
 */
export function checkRecord(record: Row, config: Partial<ManomanoInvoicesDestinationConfig> = {}): Reject[] {
  return recordRejects(invoicesSpec(settingsOf(config, '.', { files: false })), record);
}

/** The destination definition (registry entry). */
const definition: DestinationDefinition<ManomanoInvoicesDestinationConfig> = {
  kind: 'destination',
  type: 'manomano-invoices',
  summary: 'Invoice upload: attaches each order\'s invoice PDF at ManoMano, status-checked and journalled (never twice).',
  attributes: ['order_reference', 'invoice_path', 'seller_contract_id'],
  strictAttributes: true,
  api: true,
  batchSize: 500,
  checkRecord,
  create(config, ctx) {
    // One upload per journal chunk: each is `pending` only while its own request is in flight.
    return createOrderActionDestination(invoicesSpec(settingsOf(config, ctx.pipelineDir, { force: ctx.options.force, files: true })), { ...(config as OrderActionConfig), batch_size: 1 }, ctx);
  },
};

export default definition;
