#!/usr/bin/env python3
"""The benchmark's reference pipeline (bench/reference-pipeline.yaml) written as a data engineer
would in pandas: the whole catalogue in one DataFrame, every step a vectorised pandas string
method or numpy operation on a column, no loop over rows. It writes the same ManoMano feed and the
same reject report as manoflow (bench/run.mjs compares the bytes), so its checks are those of the
manomano-products destination that this mapping can meet, worded the same way (see README.md).

    python3 bench/pandas/reference_pipeline.py CATALOG.csv FEED.csv REJECTS.csv CONTEXT.json

CONTEXT.json (written by bench/contenders.mjs) holds what the script shares with manoflow rather
than copies: the named HTML entities of $decodeHtmlEntities. Run from the repository's root: the
messages of rule-box failures name rules/*.jsonata and bench/reference-pipeline.yaml from there.
Needs pandas and numpy (Debian: apt-get install python3-pandas).
"""
import csv
import json
import os
import re
import resource
import sys

sys.dont_write_bytecode = True   # no __pycache__ left in the repository

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from checks import check_feed, FeedState, human_cells  # noqa: E402
from js_numbers import ambiguous_number, format_decimal, parse_number  # noqa: E402
from textops import decode_entities_factory, js_number_str, strip_html, truncate  # noqa: E402

CATALOG, FEED, REJECTS, CONTEXT = sys.argv[1:5]
os.makedirs(os.path.dirname(os.path.abspath(FEED)), exist_ok=True)
CONTEXT_DATA = json.load(open(CONTEXT, encoding='utf-8'))
decode_entities = decode_entities_factory(CONTEXT_DATA['entities'])
CATEGORIES = json.load(open('bench/lookups/categories.json', encoding='utf-8'))
COLOURS = {'rouge': 'Rouge', 'bleu': 'Bleu', 'vert': 'Vert', 'noir': 'Noir', 'blanc': 'Blanc', 'gris': 'Gris', 'inox': 'Inox', 'jaune': 'Jaune'}
FEED_COLUMNS = ['sku', 'ean', 'sku_manufacturer', 'brand', 'merchant_category', 'mm_category_id', 'title', 'description',
                'image_1', 'image_2', 'image_3', 'image_4', 'image_5', 'weight', 'weight_unit', 'colour', 'product_price_vat_inc',
                'retail_price_vat_inc', 'quantity', 'product_vat_rate', 'carrier', 'shipping_time', 'shipping_price_vat_inc',
                'free_return', 'feature1']
# rows per chunk: the catalogue is read 100,000 rows at a time (bench/pandas/agreement.mjs uses small chunks to test the seams)
CHUNK_ROWS = int(os.environ.get('BENCH_PANDAS_CHUNK_ROWS', '100000'))
PIPELINE = 'bench/reference-pipeline.yaml'
# where manoflow locates a failing rule box: the line of its attribute in the pipeline, and in the rule's file (context)
PIPELINE_LINES = {m.group(1): k + 1 for k, text in enumerate(open(PIPELINE, encoding='utf-8').read().split('\n'))
                  for m in [re.match(r'    ([A-Za-z_0-9]+):', text)] if m}
POSITIONS = CONTEXT_DATA['positions']
ADVICE = {'to_number': 'say which mark is the decimal one with { to_number: { decimal: "," } } or { to_number: { decimal: "." } }',
          'add_vat': 'read it first with { to_number: { decimal: "," } } or { to_number: { decimal: "." } }',
          'number_format': 'read it first with { to_number: { decimal: "," } } or { to_number: { decimal: "." } }'}


def failure_messages(attribute, rule, what, value):
    """The rule box's own error ($error in its body) as manoflow reports it, for the texts it failed on."""
    ambiguous, comma, dot = ambiguous_number(value)
    where = lambda kind: f'(rules/{rule}.jsonata:{POSITIONS[rule][kind]}) ({PIPELINE}:{PIPELINE_LINES[attribute]}:5)'  # noqa: E731
    head = f'attribute "{attribute}" rule 1 ({rule}): rule box "{rule}" failed: {rule}: '
    plain = head + value + f' is not {what} ' + where('not_a_number')
    two_ways = (head + value + ' is ambiguous (' + pd.Series(js_number_str(comma.fillna(0)), index=value.index) + ' or '
                + pd.Series(js_number_str(dot.fillna(0)), index=value.index) + f'): {ADVICE[rule]} ' + where('ambiguous'))
    return plain.where(~ambiguous, two_ways)


def map_chunk(src):
    """The mapping of one chunk: the mapped attributes, and per record the first rule box that failed (message, attribute)."""
    mapped = pd.DataFrame(index=src.index)
    failure = pd.Series('', index=src.index)
    failed_attribute = pd.Series('', index=src.index)

    def number_rule(attribute, column, rule, what):
        """to_number / add_vat / number_format: blank stays blank, a text that is not a number fails the record
        (the mapping stops at a record's first failure, in attribute order)."""
        value = src[column]
        number = parse_number(value)
        first = (value != '') & number.isna() & (failure == '')
        failure[first] = failure_messages(attribute, rule, what, value[first])
        failed_attribute[first] = attribute
        return number

    mapped['sku'] = src['reference']
    mapped['ean'] = src['ean13']
    mapped['sku_manufacturer'] = src['reference_fabricant']
    mapped['brand'] = src['marque']
    mapped['title'] = truncate(strip_html(src['nom'], decode_entities), 150)
    mapped['description'] = truncate(strip_html(src['description_html'], decode_entities), 5000)
    mapped['merchant_category'] = src['categorie']
    mapped['mm_category_id'] = src['categorie'].map(CATEGORIES)
    for k in range(1, 6):
        mapped[f'image_{k}'] = src[f'image_{k}']
    # join: items $trim-med (runs of space, tab, CR, LF become one space, one dropped at each end), empty ones dropped
    joined = pd.Series('', index=src.index)
    for k in range(1, 6):
        item = src[f'image_{k}'].str.replace(r'[ \t\n\r]+', ' ', regex=True).str.strip(' ')
        joined = joined.mask(item != '', joined.where(joined == '', joined + '#') + item)
    mapped['feature1'] = joined
    price = number_rule('product_price_vat_inc', 'prix_ht', 'add_vat', 'a price')
    mapped['product_price_vat_inc'] = format_decimal(price * 1.2, 2).astype('float64')
    retail = number_rule('retail_price_vat_inc', 'prix_barre_ttc', 'number_format', 'a number')
    mapped['retail_price_vat_inc'] = format_decimal(retail, 2)
    mapped['quantity'] = number_rule('quantity', 'stock', 'to_number', 'a number')
    weight = number_rule('weight', 'poids_kg', 'number_format', 'a number')
    mapped['weight'] = format_decimal(weight, 3)
    mapped['weight_unit'] = 'kg'
    mapped['colour'] = src['couleur'].map(COLOURS).fillna(src['couleur'])
    mapped['carrier'] = src['transporteur']
    mapped['shipping_time'] = src['delai_livraison'].str.replace('-', '#', regex=False)
    mapped['shipping_price_vat_inc'] = number_rule('shipping_price_vat_inc', 'frais_port_ttc', 'to_number', 'a number').fillna(0.0)
    # if_then_else equals "oui": $trim then $lowercase on both sides
    mapped['free_return'] = np.where(src['retour_gratuit'].str.replace(r'[ \t\n\r]+', ' ', regex=True).str.strip(' ').str.lower() == 'oui', 1.0, 0.0)
    mapped['product_vat_rate'] = src['taux_tva']
    return mapped, failure, failed_attribute


# --- the run: chunk by chunk, the feed appended as it goes, the report sorted at the end -----------
state = FeedState()
report_parts = []
mapped_at = []      # record index of each record the mapping let through, in order (manoflow's batches)
rows = written = 0
next_line = 2
with open(FEED, 'w', encoding='utf-8', newline='') as feed_file:
    for src in pd.read_csv(CATALOG, sep=';', dtype=str, keep_default_na=False, na_filter=False, encoding='utf-8', chunksize=CHUNK_ROWS):
        rows += len(src)
        # the line each record starts on: one line per record plus the line breaks in its quoted cells
        breaks = sum(src[c].str.count('\n') for c in src.columns).to_numpy()
        line = pd.Series(next_line + np.arange(len(src)) + np.concatenate([[0], np.cumsum(breaks)[:-1]]), index=src.index)
        next_line += len(src) + int(breaks.sum())
        mapped, failure, failed_attribute = map_chunk(src)
        mapping_ok = failure == ''
        feed, problems = check_feed(mapped, mapping_ok, src['reference'], CONTEXT_DATA['hints'], state, list(mapped.columns))
        feed[FEED_COLUMNS].to_csv(feed_file, sep=';', index=False, header=rows == len(src),
                                  quoting=csv.QUOTE_MINIMAL, lineterminator='\n')
        written += len(feed)
        mapped_at.append(src.index[mapping_ok.to_numpy()].to_numpy())
        report_parts.append(pd.DataFrame({
            'severity': 'error', 'stage': 'mapping', 'index': src.index, 'line': line, 'id': src['reference'], 'attribute': failed_attribute,
            'code': 'EXPR_RULE_FAILED', 'message': failure, 'hint': 'check the value in the source, or add a rule box that handles it (e.g. default)',
        })[~mapping_ok].assign(at=lambda t: t['index'].astype(float)))
        report_parts.append(problems.assign(line=line[problems['index']].to_numpy()))

# manoflow hands the products feed 128 mapped records at a time (its batchSize): a batch's problems come when it is full, after the
# mapping failures met while it filled (the last batch's at the end)
mapped_at = np.concatenate(mapped_at) if mapped_at else np.zeros(0, dtype=int)
rank = pd.Series(np.arange(len(mapped_at)), index=mapped_at)
report = pd.concat(report_parts, ignore_index=True)
destination = report['stage'] == 'destination'
last = (rank.reindex(report.loc[destination, 'index']).to_numpy() // 128) * 128 + 127
report.loc[destination, 'at'] = np.where(last < len(mapped_at), mapped_at[np.minimum(last, max(len(mapped_at) - 1, 0))] + 0.5, np.inf)
report = report.sort_values('at', kind='stable')[['severity', 'stage', 'index', 'line', 'id', 'attribute', 'code', 'message', 'hint']]
# the report is read in spreadsheets: its texts as manoflow writes them for people (formatHumanRow)
for column in ['severity', 'stage', 'id', 'attribute', 'code', 'message', 'hint']:
    report[column] = human_cells(report[column].astype(object).where(report[column].notna(), ''))
report.to_csv(REJECTS, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator='\n', encoding='utf-8')
# this process's own figures (bench/contenders.mjs reports them): CPU seconds and peak RSS (KiB on Linux)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({'rows': rows, 'written': written, 'rejected': rows - written,
                  'cpuMs': round((usage.ru_utime + usage.ru_stime) * 1000), 'peakRssMb': round(usage.ru_maxrss / 1024)}))
