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

from checks import check_feed, FeedState  # noqa: E402
from textops import decode_entities_factory, strip_html, truncate  # noqa: E402

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
EPSILON = np.finfo(float).eps
# rows per chunk: the catalogue is read 100,000 rows at a time (bench/pandas/agreement.mjs uses small chunks to test the seams)
CHUNK_ROWS = int(os.environ.get('BENCH_PANDAS_CHUNK_ROWS', '100000'))

# --- $parseNumber: "59,99", "1 234,50", "1.234,50", "12.5 €" -------------------------------------
JS_WS = '\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'


def parse_number(s):
    """$parseNumber of a text column: floats, NaN where the text is not a number."""
    plain = s.str.match(r'-?[0-9]+(?:[.,][0-9]+)?\Z')
    out = s.where(plain).str.replace(',', '.', n=1, regex=False)
    other = s[~plain & (s != '')]
    if len(other):
        o = other.str.replace(f"[{JS_WS}']", '', regex=True)
        o = o.str.replace(r'(?:€|EUR|£|GBP|\$)\Z', '', regex=True, flags=re.I | re.A).str.replace(r'\A(?:€|£|\$)', '', regex=True)
        last_comma, last_dot = o.str.rfind(','), o.str.rfind('.')
        first_comma, first_dot = o.str.find(','), o.str.find('.')
        both = (last_comma >= 0) & (last_dot >= 0)
        comma_decimal = both & (last_comma > last_dot)
        o = o.mask(comma_decimal, o.str.replace('.', '', regex=False).str.replace(',', '.', n=1, regex=False))
        o = o.mask(both & ~comma_decimal, o.str.replace(',', '', regex=False))
        comma_only = (last_comma >= 0) & (last_dot < 0)
        o = o.mask(comma_only & (first_comma != last_comma), o.str.replace(',', '', regex=False))
        o = o.mask(comma_only & (first_comma == last_comma), o.str.replace(',', '.', n=1, regex=False))
        o = o.mask((last_dot >= 0) & (last_comma < 0) & (first_dot != last_dot), o.str.replace('.', '', regex=False))
        valid = o.str.match(r'[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?\Z', flags=re.I | re.A) & (o != '')
        out[other.index] = o.where(valid)
    # astype(float): Python's float(), correctly rounded as JavaScript's Number()
    numbers = out.astype('float64')
    return numbers.where(np.isfinite(numbers))


def format_decimal(x, decimals):
    """$formatDecimal(x, decimals, ".", ""): half away from zero, as manoflow rounds."""
    factor = 10.0 ** decimals
    scaled = np.abs(x) * factor * (1 + EPSILON)
    whole = np.floor(scaled)
    rounded = np.sign(x) * (whole + ((scaled - whole) >= 0.5)) / factor
    text = pd.Series(np.char.mod(f'%.{decimals}f', np.abs(rounded.to_numpy())), index=x.index)
    return text.where(~(rounded < 0), '-' + text).where(x.notna())


# --- the mapping: one column per attribute, in the pipeline's order -----------------------------


RULE_POSITIONS = {  # where manoflow locates a failing rule box: its body, and the attribute in the pipeline
    'add_vat': 'rules/add_vat.jsonata:15:82', 'number_format': 'rules/number_format.jsonata:14:12', 'to_number': 'rules/to_number.jsonata:9:37',
}
PIPELINE_LINES = {'product_price_vat_inc': 46, 'retail_price_vat_inc': 49, 'quantity': 52, 'weight': 53, 'shipping_price_vat_inc': 64}


def failure_message(attribute, rule, what):
    return lambda v: (f'attribute "{attribute}" rule 1 ({rule}): rule box "{rule}" failed: {rule}: ' + v + f' is not {what} '
                      f'({RULE_POSITIONS[rule]}) (bench/reference-pipeline.yaml:{PIPELINE_LINES[attribute]}:5)')




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
        failure[first] = failure_message(attribute, rule, what)(value[first])
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
        feed, problems = check_feed(mapped, mapping_ok, src['reference'], CONTEXT_DATA['hints'], state)
        feed[FEED_COLUMNS].to_csv(feed_file, sep=';', index=False, header=rows == len(src),
                                  quoting=csv.QUOTE_MINIMAL, lineterminator='\n')
        written += len(feed)
        mapped_at.append(src.index[mapping_ok.to_numpy()].to_numpy())
        report_parts.append(pd.DataFrame({
            'severity': 'error', 'stage': 'mapping', 'index': src.index, 'line': line, 'id': src['reference'], 'attribute': failed_attribute,
            'code': 'EXPR_RULE_FAILED', 'message': failure, 'hint': 'check the value in the source, or add a rule box that handles it (e.g. default)',
        })[~mapping_ok].assign(at=lambda t: t['index'].astype(float)))
        report_parts.append(problems.assign(line=line[problems['index']].to_numpy()))

# manoflow hands the feed 500 mapped records at a time: a batch's problems come when it is full, after the
# mapping failures met while it filled (the last batch's at the end)
mapped_at = np.concatenate(mapped_at) if mapped_at else np.zeros(0, dtype=int)
rank = pd.Series(np.arange(len(mapped_at)), index=mapped_at)
report = pd.concat(report_parts, ignore_index=True)
destination = report['stage'] == 'destination'
last = (rank.reindex(report.loc[destination, 'index']).to_numpy() // 500) * 500 + 499
report.loc[destination, 'at'] = np.where(last < len(mapped_at), mapped_at[np.minimum(last, max(len(mapped_at) - 1, 0))] + 0.5, np.inf)
report = report.sort_values('at', kind='stable')[['severity', 'stage', 'index', 'line', 'id', 'attribute', 'code', 'message', 'hint']]
report.to_csv(REJECTS, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator='\n', encoding='utf-8')
# this process's own figures (bench/contenders.mjs reports them): CPU seconds and peak RSS (KiB on Linux)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({'rows': rows, 'written': written, 'rejected': rows - written,
                  'cpuMs': round((usage.ru_utime + usage.ru_stime) * 1000), 'peakRssMb': round(usage.ru_maxrss / 1024)}))
