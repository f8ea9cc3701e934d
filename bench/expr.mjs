#!/usr/bin/env node
// Micro-benchmark: stock jsonata 2.2.2 vs manoflow's expression layer (fast path + fallback), on
// generated catalogue records: one 25-attribute object expression per row, then 25 separate
// expressions per row. Prints us/row and the ratio. Build first: `npx tsc -p tsconfig.json`.
// Usage: node bench/expr.mjs [rows=100000]
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { compileExpression, isPending } = await import(resolve(root, 'dist/engine/expr/index.js'));
const ROWS = Number(process.argv[2] ?? 100_000);

const record = (i) => ({
  id: `SKU-${i}`,
  name: i % 3 === 0 ? `  Perceuse sans fil <b>${i}</b> ` : `Scie circulaire ${i}`,
  description: `<p>Outil ${i} &amp; accessoires</p>`,
  price_ex_vat: i % 4 === 0 ? `${i % 500},50` : `${i % 500}.25`,
  stock: String(i % 17),
  brand: i % 2 ? 'Bosch' : '',
  ean: i % 7 === 0 ? '' : `3165140${String(i).padStart(6, '0')}`,
  weight: String((i % 90) / 10),
  category: 'Bricolage > Outillage > Perceuses',
  image1: `https://img.example.com/${i}/1.jpg`,
  color: i % 5 ? 'bleu' : 'vert',
});

const vars = { vat_rate: 0.2, currency: 'EUR', prefix: 'MM-', carrier: 'DPD' };
const decodeHtmlEntities = (s) => (typeof s === 'string' ? s.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&') : s);
const bindings = { vars, decodeHtmlEntities };

const ATTRS = {
  sku: 'id',
  seller_sku: '$vars.prefix & id',
  title: '$substring($trim(name), 0, 150)',
  title_upper: '$uppercase($trim(name))',
  description: '$decodeHtmlEntities(description)',
  brand: 'brand ?: "Generic"',
  ean: 'ean != "" ? ean : undefined',
  price: '$number($replace(price_ex_vat, ",", "."))',
  product_price_vat_inc: '$round($number($replace(price_ex_vat, ",", ".")) * (1 + $vars.vat_rate), 2)',
  quantity: '$number(stock)',
  available: '$number(stock) > 0',
  status: '$number(stock) > 0 ? "in_stock" : "out_of_stock"',
  weight_kg: '$number(weight)',
  weight_g: '$round($number(weight) * 1000)',
  category: 'category',
  category_last: '$substringAfter($substringAfter(category, " > "), " > ")',
  category_slash: '$join($split(category, " > "), "/")',
  image_url: 'image1',
  color: '$lowercase(color)',
  color_label: 'color = "bleu" ? "Bleu" : "Vert"',
  carrier: '$vars.carrier',
  currency: '$vars.currency',
  shipping_time: '"2-3"',
  garanty: '2',
  label: 'id & " - " & $trim(name)',
};
const objectSrc = `{${Object.entries(ATTRS).map(([k, v]) => `"${k}": ${v}`).join(', ')}}`;

const records = Array.from({ length: ROWS }, (_, i) => record(i));

async function time(label, fn) {
  const t0 = process.hrtime.bigint();
  let fast = 0;
  for (let i = 0; i < records.length; i++) fast += await fn(records[i]);
  const us = Number(process.hrtime.bigint() - t0) / 1000 / records.length;
  console.log(`${label.padEnd(44)} ${us.toFixed(2).padStart(8)} us/row  (sync on ${((fast / records.length) * 100).toFixed(1)}% of rows)`);
  return us;
}

// one object expression per row
const objStock = compileExpression(objectSrc, { fastPath: false });
const objFast = compileExpression(objectSrc);
// 25 separate expressions per row
const sepStock = Object.values(ATTRS).map((s) => compileExpression(s, { fastPath: false }));
const sepFast = Object.values(ATTRS).map((s) => compileExpression(s));
console.log(`rows: ${ROWS}; fast-compiled: object ${objFast.fast}, separate ${sepFast.filter((e) => e.fast).length}/25`);

// equality check on a sample before timing: the speed means nothing if the values differ
for (const r of records.slice(0, 2000)) {
  const a = await objStock.evaluate(r, bindings);
  const b = await objFast.evaluate(r, bindings);
  if (!isDeepStrictEqual(a, b)) throw new Error(`mismatch on ${r.id}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

const run = (expr) => (r) => {
  const v = expr.evaluate(r, bindings);
  return isPending(v) ? v.then(() => 0) : 1;
};
const runAll = (list) => async (r) => {
  let sync = 1;
  const out = {};
  const keys = Object.keys(ATTRS);
  for (let k = 0; k < list.length; k++) {
    let v = list[k].evaluate(r, bindings);
    if (isPending(v)) (v = await v), (sync = 0);
    out[keys[k]] = v;
  }
  return sync;
};

const a1 = await time('stock, 25-attribute object expression', run(objStock));
const b1 = await time('manoflow, 25-attribute object expression', run(objFast));
const a2 = await time('stock, 25 separate expressions', runAll(sepStock));
const b2 = await time('manoflow, 25 separate expressions', runAll(sepFast));
console.log(`ratio (stock / manoflow): object ${(a1 / b1).toFixed(1)}x, separate ${(a2 / b2).toFixed(1)}x`);
