/**
 * Init templates for the catalogue connectors: Product Creation (a checked CSV feed file) and
 * Price & Stock (offers pushed to the API). Each comes with a sample CSV and a test file.
 */
import { apiConnection, commands, header, testTitle, type Template } from './template-parts.js';

/** manomano-products: shop export CSV → the Product Creation CSV ManoMano imports. */
export const productsTemplate: Template = (c) => [
  {
    path: `${c.name}.yaml`,
    content: header(c, [
      'Product Creation: your catalogue export → the CSV file ManoMano imports to create products',
      'and offers. Each row is checked against ManoMano\'s rules (EAN, category, images, prices...);',
      'refused rows go to out/<name>.rejects.csv with their reason, never into the feed.',
      ...commands(c, false),
    ]) + `version: 1
name: ${c.name}
description: Catalogue CSV → ManoMano product-creation feed

source:
  type: csv
  path: data/${c.name}.csv             # relative to this file
  delimiter: ";"
  id_column: reference                 # names the row in error messages

vars:
  vat_rate: 0.2                        # used by the add_vat rule box

# Rows without stock are skipped and counted as "filtered".
filter: stock != "0" and stock != ""

mapping:
  attributes:
    sku: reference
    ean: ean
    sku_manufacturer: manufacturer_ref
    brand: brand
    title:
      from: name
      rules: [strip_html, remove_emojis, trim, { truncate: 150 }]
    description:
      from: description
      rules: [strip_html, { truncate: 5000 }]
    mm_category_id: { from: mm_category_id, rules: [to_number] }
    image_1: { from: images, rules: [{ split: "," }, first] }
    image_2: $trim($split(images, ",")[1])
    image_3: $trim($split(images, ",")[2])
    product_price_vat_inc:
      from: price_ex_vat
      rules: [to_number, add_vat]      # "49,90" → 59.88 with vars.vat_rate
    quantity: { from: stock, rules: [to_number] }
    carrier: carrier
    shipping_time:
      from: delivery_days
      rules: [{ replace: { pattern: "-", with: "#" } }]   # ManoMano wants "2#3"
    shipping_price_vat_inc: { from: shipping_price, rules: [to_number], default: 0 }

destination:
  type: manomano-products
  output: out/${c.name}.csv            # written atomically, only when the run succeeds
  delimiter: ";"
  market: FR
  # Category checks (mandatory attributes, units, accepted values per ManoMano category) need
  # ManoMano's category tree: set \`environment: production\` and \`api_key: \${MANOMANO_API_KEY}\`
  # here (or run \`manoflow categories --refresh --environment production\` once) and remove \`enabled: false\`.
  taxonomy:
    enabled: false
`,
  },
  {
    path: `data/${c.name}.csv`,
    content: `reference;ean;manufacturer_ref;brand;name;description;mm_category_id;price_ex_vat;stock;images;carrier;delivery_days;shipping_price
DRL-0001;3760123456784;PV-18-01;Outix;<b>Perceuse visseuse</b> sans fil 18V 🔥;<p>Perceuse visseuse 18V, 2 batteries.</p><ul><li>Couple 45 Nm</li></ul>;10402;49,90;12;https://images.example.com/drl-0001-1.jpg,https://images.example.com/drl-0001-2.jpg;DPD;2-3;4,90
SAW-0002;3760123456791;SC-190;Outix;Scie circulaire 1400 W;<p>Scie circulaire, lame 190 mm.</p>;10411;89,00;0;https://images.example.com/saw-0002-1.jpg;Colissimo;3-5;0
PNT-0003;3760123456807;PB-25;Peintex;Peinture bois satinée 2,5 L;<p>Peinture bois intérieur et extérieur.</p>;20109;N/A;40;https://images.example.com/pnt-0003-1.jpg;Colissimo;2-4;
`,
  },
  {
    path: `${c.name}.test.yaml`,
    content: testTitle(c) + `# Each case feeds rows (strings, as the CSV source yields them) through the filter, the mapping and
# the destination's checks. \`expect\` lists the output records in order, each with the attributes it checks.
x-row: &row
  reference: DRL-0001
  ean: "3760123456784"
  manufacturer_ref: PV-18-01
  brand: Outix
  name: <b>Perceuse visseuse</b> sans fil 18V 🔥
  description: <p>Perceuse visseuse 18V.</p>
  mm_category_id: "10402"
  price_ex_vat: "49,90"
  stock: "12"
  images: https://images.example.com/drl-0001-1.jpg,https://images.example.com/drl-0001-2.jpg
  carrier: DPD
  delivery_days: 2-3
  shipping_price: ""

cases:
  - name: a row becomes a feed record (title cleaned, price with VAT, images split)
    input: [ *row ]
    expect:
      - sku: DRL-0001
        title: Perceuse visseuse sans fil 18V
        product_price_vat_inc: 59.88
        mm_category_id: 10402
        image_1: https://images.example.com/drl-0001-1.jpg
        image_2: https://images.example.com/drl-0001-2.jpg
        shipping_time: "2#3"
        shipping_price_vat_inc: 0

  - name: out of stock rows are filtered
    input: [ { <<: *row, stock: "0" } ]
    expect: []
    expect_filtered: 1

  - name: an EAN with a wrong check digit is rejected by ManoMano's checks
    input: [ { <<: *row, ean: "3760123456785" } ]
    expect: []
    expect_rejects:
      - { code: MM_EAN_INVALID, attribute: ean }

  - name: a price that is not a number rejects the row, naming the attribute
    input: [ { <<: *row, price_ex_vat: N/A } ]
    expect: []
    expect_rejects:
      - { code: EXPR_RULE_FAILED, attribute: product_price_vat_inc }
`,
  },
];

/** manomano-offers: stock export CSV → price and stock of existing offers, through the API. */
export const offersTemplate: Template = (c) => [
  {
    path: `${c.name}.yaml`,
    content: header(c, [
      'Price & Stock: pushes the price and stock of existing ManoMano offers from your stock export.',
      'Cron it every 15 minutes; only what changed is sent (the last state is kept in .manoflow/).',
      ...commands(c, true),
    ]) + `version: 1
name: ${c.name}
description: Stock export CSV → ManoMano price and stock

source:
  type: csv
  path: data/${c.name}.csv             # relative to this file
  delimiter: ";"
  id_column: sku

vars:
  vat_rate: 0.2

mapping:
  automap: false
  attributes:
    sku: sku
    quantity: { from: stock, rules: [to_number] }
    price_vat_included:
      from: price_ex_vat
      rules: [to_number, add_vat]      # "89,90" → 107.88 with vars.vat_rate

destination:
  type: manomano-offers
${apiConnection()}`,
  },
  {
    path: `data/${c.name}.csv`,
    content: `sku;price_ex_vat;stock
DRL-10051;89,90;50
DRL-10092;74,08;0
DRL-99999;10,00;5
`,
  },
  {
    path: `${c.name}.test.yaml`,
    content: testTitle(c) + `# API destinations are never called by tests: \`expect\` checks the records that would be sent.
cases:
  - name: price with VAT from a decimal comma, stock as a number
    input:
      - { sku: DRL-10051, price_ex_vat: "89,90", stock: "50" }
    expect:
      - { sku: DRL-10051, price_vat_included: 107.88, quantity: 50 }

  - name: zero stock is sent (it takes the offer offline)
    input:
      - { sku: DRL-10092, price_ex_vat: "74,08", stock: "0" }
    expect:
      - { sku: DRL-10092, quantity: 0 }

  - name: a stock that is not a number rejects the row
    input:
      - { sku: DRL-10051, price_ex_vat: "89,90", stock: "beaucoup" }
    expect: []
    expect_rejects:
      - { code: EXPR_RULE_FAILED, attribute: quantity }
`,
  },
];
