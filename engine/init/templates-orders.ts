/**
 * Init templates for the order connectors: Orders Import (API → CSV), Accept/Refuse (API → API),
 * Refunds and Shipments (CSV from the ERP or warehouse → API). Sample order references are orders
 * of the local simulator's default data, so a first `run` shows real outcomes.
 */
import { apiConnection, commands, header, testTitle, type Template, type TemplateContext } from './template-parts.js';

const testHeader = (c: TemplateContext, api: boolean) =>
  testTitle(c) +
  (api ? '# API destinations are never called by tests: `expect` checks the records that would be sent.\n' : '# The source is not read by tests: `input` gives the records it would yield.\n');

/** manomano-orders: new orders, one CSV row per order line, for an ERP import folder. */
export const ordersTemplate: Template = (c) => [
  {
    path: `${c.name}.yaml`,
    content: header(c, [
      'Orders Import: the lines of orders to handle (PENDING to accept, PREPARATION to ship), one CSV',
      'row per order line for your ERP. With `incremental: true` each run reads only what changed.',
      ...commands(c, false),
    ]) + `version: 1
name: ${c.name}
description: ManoMano orders → CSV of order lines

source:
  type: manomano-orders
${apiConnection()}  statuses: [PENDING, PREPARATION]
  records: lines                       # flat rows: order fields + one product line each
  incremental: true                    # the cursor lives in .manoflow/; --full re-reads everything

mapping:
  automap: false
  attributes:
    order_reference: order_reference
    status: status
    created_at: created_at
    sku: seller_sku
    quantity: quantity
    unit_price: price
    customer: $join([shipping_firstname, shipping_lastname], " ")
    zipcode: shipping_zipcode
    city: shipping_city
    country: shipping_country_iso

destination:
  type: csv
  output: out/${c.name}.csv            # written atomically, only when the run succeeds
  delimiter: ";"
`,
  },
  {
    path: `${c.name}.test.yaml`,
    content: testHeader(c, false) + `cases:
  - name: an order line becomes an ERP row
    input:
      - order_reference: M20260808100069
        status: PREPARATION
        created_at: "2026-08-08T17:38:32+00:00"
        seller_sku: PNT-11106
        quantity: 1
        price: 24.9
        shipping_firstname: Jeanne
        shipping_lastname: Martin
        shipping_zipcode: "69003"
        shipping_city: Lyon
        shipping_country_iso: FR
    expect:
      - { order_reference: M20260808100069, sku: PNT-11106, quantity: 1, unit_price: 24.9, customer: Jeanne Martin, zipcode: "69003" }
`,
  },
];

/** manomano-order-decisions: accept PENDING orders, refuse those with a SKU you cannot deliver. */
export const decisionsTemplate: Template = (c) => [
  {
    path: `${c.name}.yaml`,
    content: header(c, [
      'Order Accept/Refuse: accepts every PENDING order, and refuses those containing a SKU listed in',
      'vars.refuse_skus. Each order\'s status is checked first; each decision is journalled, never sent twice.',
      ...commands(c, true),
    ]) + `version: 1
name: ${c.name}
description: Accept PENDING ManoMano orders, refuse those with an undeliverable SKU

source:
  type: manomano-orders
${apiConnection()}  statuses: [PENDING]

vars:
  refuse_skus: [LED-11630]             # SKUs you cannot deliver any more

mapping:
  automap: false
  attributes:
    order_reference: order_reference
    decision: "$count(products[seller_sku in $vars.refuse_skus]) > 0 ? 'refuse' : 'accept'"

destination:
  type: manomano-order-decisions
  decision: accept                     # for records without a decision
${apiConnection()}`,
  },
  {
    path: `${c.name}.test.yaml`,
    content: testHeader(c, true) + `cases:
  - name: an order with deliverable SKUs is accepted, one with a listed SKU refused
    input:
      - { order_reference: M20260805100125, status: PENDING, products: [ { seller_sku: GRD-11339, quantity: 1 }, { seller_sku: DRL-11385, quantity: 1 } ] }
      - { order_reference: M20260815100000, status: PENDING, products: [ { seller_sku: LED-11630, quantity: 4 } ] }
    expect:
      - { order_reference: M20260805100125, decision: accept }
      - { order_reference: M20260815100000, decision: refuse }
`,
  },
];

/** manomano-refunds: the after-sales desk's CSV → refunds of SHIPPED orders. */
export const refundsTemplate: Template = (c) => [
  {
    path: `${c.name}.yaml`,
    content: header(c, [
      'Refund Orders: one CSV row per refunded line (no SKU: the whole order). Rows of one order become',
      'one refund. The reason must be one of the destination\'s `reasons`; near misses get a hint.',
      ...commands(c, true),
    ]) + `version: 1
name: ${c.name}
description: After-sales refunds CSV → ManoMano refunds of SHIPPED orders

source:
  type: csv
  path: data/${c.name}.csv             # relative to this file
  delimiter: ";"
  id_column: order_ref

mapping:
  automap: false
  attributes:
    order_reference: order_ref
    seller_sku: sku
    quantity: { from: qty, rules: [to_number] }
    refund_reason: $uppercase($trim(reason))
    refund_shipping_fees: $lowercase(refund_shipping) in ["1", "yes", "oui", "true"]

destination:
  type: manomano-refunds
${apiConnection()}  refund_shipping_fees: false          # when a row does not say
`,
  },
  {
    path: `data/${c.name}.csv`,
    content: `order_ref;sku;qty;reason;refund_shipping
M20260806100138;MOW-11940;1;product_damaged;non
`,
  },
  {
    path: `${c.name}.test.yaml`,
    content: testHeader(c, true) + `cases:
  - name: a refund row is mapped (reason upper-cased, quantity and fees typed)
    input:
      - { order_ref: M20260806100138, sku: MOW-11940, qty: "1", reason: " product_damaged ", refund_shipping: oui }
    expect:
      - { order_reference: M20260806100138, seller_sku: MOW-11940, quantity: 1, refund_reason: PRODUCT_DAMAGED, refund_shipping_fees: true }

  - name: a quantity that is not a number rejects the row
    input:
      - { order_ref: M20260806100138, sku: MOW-11940, qty: deux, reason: OTHER, refund_shipping: "" }
    expect: []
    expect_rejects:
      - { code: EXPR_RULE_FAILED, attribute: quantity }
`,
  },
];

/** manomano-shipments: the warehouse's tracking export → shipment notifications. */
export const shipmentsTemplate: Template = (c) => [
  {
    path: `${c.name}.yaml`,
    content: header(c, [
      'Shipment Notifications: carrier and tracking for orders in PREPARATION, from the warehouse\'s',
      'export (one row per shipped line). The carrier is checked against ManoMano\'s list.',
      ...commands(c, true),
    ]) + `version: 1
name: ${c.name}
description: Warehouse tracking export → ManoMano shipment notifications

source:
  type: csv
  path: data/${c.name}.csv             # relative to this file
  delimiter: ";"
  id_column: order_ref

mapping:
  automap: false
  attributes:
    order_reference: order_ref
    seller_sku: sku
    quantity: { from: qty, rules: [to_number] }
    carrier: carrier
    tracking_number: tracking
    # Build the URL when the export has none (ManoMano rejects a shipment without one).
    tracking_url: "tracking_url ? tracking_url : 'https://www.laposte.fr/outils/suivre-vos-envois?code=' & tracking"

destination:
  type: manomano-shipments
${apiConnection()}`,
  },
  {
    path: `data/${c.name}.csv`,
    content: `order_ref;sku;qty;carrier;tracking;tracking_url
M20260808100069;PNT-11106;1;Colissimo;6A12345678901;
M20260808100069;DRL-10401;1;Colissimo;6A12345678901;
M20260808100069;TAP-10849;1;Colissimo;6A12345678901;
`,
  },
  {
    path: `${c.name}.test.yaml`,
    content: testHeader(c, true) + `cases:
  - name: the tracking URL is built when the export has none
    input:
      - { order_ref: M20260808100069, sku: PNT-11106, qty: "1", carrier: Colissimo, tracking: 6A12345678901, tracking_url: "" }
    expect:
      - order_reference: M20260808100069
        seller_sku: PNT-11106
        quantity: 1
        carrier: Colissimo
        tracking_url: https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901

  - name: a tracking URL given by the export is kept
    input:
      - { order_ref: M20260808100069, sku: PNT-11106, qty: "1", carrier: DPD, tracking: "0987", tracking_url: "https://tracking.dpd.fr/0987" }
    expect:
      - { tracking_url: "https://tracking.dpd.fr/0987" }
`,
  },
];
