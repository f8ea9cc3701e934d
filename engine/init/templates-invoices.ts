/**
 * The `manoflow init --connector invoices` scaffold: an accounting export (order reference → PDF)
 * uploaded as invoices, with a sample PDF for an order of the simulator's seed-1 data.
 */
import { apiConnection, commands, header, testTitle, type Template, type TemplateContext } from './template-parts.js';
import { samplePdf } from './sample-pdf.js';

const testHeader = (c: TemplateContext) => `${testTitle(c)}# Tests never call ManoMano: \`expect\` lists the uploads that would be sent, \`expect_rejects\` the
# records the destination refuses before sending.
`;

/** manomano-invoices: the accounting export of invoice PDFs → uploads to the orders. */
export const invoicesTemplate: Template = (c) => [
  {
    path: `${c.name}.yaml`,
    content: header(c, [
      'Invoice upload: one CSV row per order, with the path of its invoice PDF. Orders not accepted yet',
      'are skipped; each upload is journalled and never sent twice for one order.',
      ...commands(c, true),
    ]) + `version: 1
name: ${c.name}
description: Accounting export of invoices → ManoMano invoice uploads

source:
  type: csv
  path: data/${c.name}.csv             # relative to this file
  delimiter: ";"
  id_column: order_ref

mapping:
  automap: false
  attributes:
    order_reference: order_ref
    invoice_path: invoice_file         # a .pdf, relative to invoices_dir

destination:
  type: manomano-invoices
${apiConnection()}  invoices_dir: data                   # relative to this file
`,
  },
  {
    path: `data/${c.name}.csv`,
    content: 'order_ref;invoice_file\nM20260810100140;invoices/F-2026-0140.pdf\n',
  },
  { path: 'data/invoices/F-2026-0140.pdf', content: samplePdf('Invoice F-2026-0140 - ManoMano order M20260810100140') },
  {
    path: `${c.name}.test.yaml`,
    content: testHeader(c) + `cases:
  - name: an export row becomes the order's reference and its PDF
    input:
      - { order_ref: M20260810100140, invoice_file: invoices/F-2026-0140.pdf }
    expect:
      - { order_reference: M20260810100140, invoice_path: invoices/F-2026-0140.pdf }

  - name: a file that is not a PDF is rejected
    input:
      - { order_ref: M20260810100140, invoice_file: invoices/F-2026-0140.xlsx }
    expect: []
    expect_rejects:
      - { code: INVOICE_NOT_PDF, attribute: invoice_path }
`,
  },
];
