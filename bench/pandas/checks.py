"""The manomano-products destination's normalisation, checks and formatting, for the attributes the
reference pipeline maps, as column operations: each check is a boolean mask over the records, and
its message is built for the masked records only. Problems come in manoflow's order: the schema
(required attributes, then properties in the schema's order, then the identification and shipping
groups), the record rules, the duplicates against what was written before; then the warnings of
what is written.
"""
import json

import numpy as np
import pandas as pd

from js_numbers import round_decimal
from textops import js_number_str

JS_WS_CHARS = '\t\n\x0b\x0c\r \xa0\u1680' + ''.join(chr(c) for c in range(0x2000, 0x200b)) + '\u2028\u2029\u202f\u205f\u3000\ufeff'
NUMERIC = ['weight', 'product_price_vat_inc', 'retail_price_vat_inc', 'quantity', 'product_vat_rate', 'shipping_price_vat_inc', 'free_return']
PRICES = {'product_price_vat_inc', 'retail_price_vat_inc', 'shipping_price_vat_inc'}
REQUIRED = ['sku', 'brand', 'title', 'description', 'image_1', 'product_price_vat_inc', 'quantity']
EAN_SHAPE = r'[0-9]{12,14}(?:#[0-9]{12,14})*\Z'
HTML = r'(</?[A-Za-z][^<>]*>|<!--|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)'
COLUMNS = ['index', 'order', 'severity', 'code', 'attribute', 'message', 'hint']
FORMULA_START = r'[=+\-@\t\r]'
SKU_MAX_LENGTH = 100   # checks.sku_max_length's default
CONTROL = '\x00-\x08\x0b\x0c\x0e-\x1f\x7f'          # C0 controls but tab, LF and CR, and DEL
CONTROL_IN_SKU = '\x00-\x1f\x7f'


def control_text(c):
    """How record-checks.ts names a control character: its JSON escape, DEL as \\u007f."""
    return '\\u007f' if c == '\x7f' else json.dumps(c)[1:-1]


def utf16_len(text):
    return len(text.encode('utf-16-le', errors='surrogatepass')) // 2


def show(values):
    """problems.ts show(), for the few values a message names: JSON for texts, JavaScript's digits for numbers, 80 UTF-16 units at most."""
    def one(v):
        text = js_number_str([v])[0] if isinstance(v, float) else json.dumps(v, ensure_ascii=False)
        units = text.encode('utf-16-le', errors='surrogatepass')
        return text if len(units) <= 160 else units[:154].decode('utf-16-le', errors='surrogatepass') + '...'
    return values.map(one)


def normalise(mapped):
    """normalizeAs per column: texts trimmed (JavaScript's trim) and absent when empty; a numeric column's
    text read as a number when decimal. Returns the values and, per numeric column, the texts that are not numbers."""
    out = pd.DataFrame(index=mapped.index)
    not_numbers = {}
    for column in mapped.columns:
        v = mapped[column]
        if v.dtype == object:
            v = v.str.strip(JS_WS_CHARS)
            v = v.where(v != '')
            if column in NUMERIC:
                decimal = v.str.match(r'[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)\Z', na=False)
                not_numbers[column] = v.where(~decimal)
                v = v.where(decimal).str.replace(',', '.', n=1, regex=False).astype('float64')
        out[column] = v
    for column in NUMERIC:
        not_numbers.setdefault(column, pd.Series(np.nan, index=mapped.index, dtype=object))
    return out, not_numbers


def format_number(x, decimals):
    """normalize.ts formatNumber: the shortest digits when they fit `decimals`, else rounded half up (roundDecimal), zeros trimmed."""
    text = js_number_str(x)
    dot = pd.Series(text).str.find('.').to_numpy()
    fits = (np.abs(x) < 1e9) & ((dot < 0) | (pd.Series(text).str.len().to_numpy() - dot - 1 <= decimals))
    if not fits.all():   # rare: more decimals than the column keeps, or a huge number
        odd = pd.Series(x[~fits])
        negative, int_part, frac = round_decimal(odd, decimals)
        kept = frac.str.rstrip('0')
        rounded = (pd.Series(np.where(negative, '-', '')) + int_part + ('.' + kept).where(kept != '', ''))
        text[~fits] = rounded.to_numpy()
    return text


def gs1_valid(codes):
    """GS1 check digits of 12- to 14-digit codes, all at once: left zeros change nothing, so each is read as 14 digits."""
    digits = np.frombuffer(''.join(codes.str.zfill(14)).encode('ascii'), dtype=np.uint8).reshape(-1, 14).astype(int) - 48
    weights = np.array([3 if (12 - k) % 2 == 0 else 1 for k in range(13)])
    return (10 - (digits[:, :13] @ weights) % 10) % 10 == digits[:, 13]


class FeedState:
    """What the feed remembers from one chunk to the next: the skus and (brand, reference) pairs
    written, and the sku that first had each EAN code."""
    def __init__(self):
        self.skus = set()
        self.refs = set()
        self.ean_owner = {}


def earlier_written(key, written, before):
    """True where a record written before (in this chunk, or in `before`) has the same key; absent keys never match."""
    position = pd.Series(np.arange(len(key), dtype=float), index=key.index)
    first = position.where(written).groupby(key).transform('min')
    return ((first < position).fillna(False) | before) & key.notna()


def ean_owners(ean, sku, claimed):
    """For each written record's EAN: the sku that had it first, when another one (EanIndex.claim); records the new codes."""
    owner = pd.Series(np.nan, index=ean.index, dtype=object)
    written = ean.dropna()
    if not written.str.contains('#', regex=False).any():
        earlier = written.map(claimed)
        first = sku[written.index].groupby(written.to_numpy()).transform('first')
        first_owner = earlier.fillna(first)
        owner[written.index] = first_owner.where(first_owner.to_numpy() != sku[written.index].to_numpy())
        new = ~written.isin(claimed.keys()) & ~written.duplicated()
        claimed.update(zip(written[new], sku[written[new].index]))
        return owner
    for i, value in written.items():   # rare: EANs packed with "#" are claimed code by code, the first conflict stopping the claim
        for code in value.split('#'):
            if code not in claimed:
                claimed[code] = sku[i]
            elif claimed[code] != sku[i]:
                owner[i] = claimed[code]
                break
    return owner


def check_feed(mapped, mapping_ok, source_id, hints, state, record_order):
    """The records written (their feed cells as text) and every problem row of the destination, in manoflow's order."""
    r, bad_text = normalise(mapped[mapping_ok])
    present = {c: r[c].notna() | (bad_text[c].notna() if c in bad_text else False) for c in r.columns}
    found = []

    def add(order, mask, code, attribute, message, severity='error'):
        """`message(m)`: the messages of the records of mask m (built only for them)."""
        if mask.any():
            found.append(pd.DataFrame({'index': r.index[mask.to_numpy()], 'order': order, 'severity': severity, 'code': code,
                                       'attribute': attribute, 'message': message(mask).to_numpy(), 'hint': hints[code]}))

    def value(c, m):
        return r[c][m].astype(object).where(bad_text[c][m].isna(), bad_text[c][m]) if c in bad_text else r[c][m]

    for k, c in enumerate(REQUIRED):
        add(k, ~present[c], 'MM_REQUIRED', c, lambda m, c=c: pd.Series(f'{c} is missing or empty', index=r.index[m]))
    # the properties, in the schema's order
    ean, sku = r['ean'], r['sku']
    add(10, present['ean'] & ~ean.str.match(EAN_SHAPE, na=False), 'MM_EAN_INVALID', 'ean',
        lambda m: 'ean ' + show(ean[m]) + ' is not an EAN-13, UPC-12 or ITF-14 (12 to 14 digits, several separated by "#")')
    category = r['mm_category_id'].astype('float64')
    add(11, category < 1, 'MM_CATEGORY_INVALID', 'mm_category_id', lambda m: 'mm_category_id ' + show(category[m]) + ' must be at least 1')
    for k in range(1, 6):
        c = f'image_{k}'
        add(11 + k, present[c] & ~r[c].str.match(f'https?://[^{JS_WS_CHARS}]+\\Z', na=False), 'MM_IMAGE_URL', c,
            lambda m, c=c: c + ' ' + show(r[c][m]) + ' is not an http(s) URL')

    def number(order, c, code, bounds, whole=False):
        """A numeric property: not a number (or not whole), else the first bound it fails."""
        f = r[c]
        wrong_type = bad_text[c].notna() | ((np.floor(f) != f) & f.notna() if whole else False)
        add(order, wrong_type, code, c, lambda m: c + ' ' + show(value(c, m)) + (' is not a whole number' if whole else ' is not a number'))
        left = f.notna() & ~wrong_type
        for fails, text in bounds:
            bad = left & fails(f)
            add(order, bad, code, c, lambda m, text=text: c + ' ' + show(f[m]) + text)
            left = left & ~bad

    number(20, 'weight', 'MM_NUMBER_INVALID', [(lambda f: ~(f > 0), ' must be above 0')])
    number(21, 'product_price_vat_inc', 'MM_PRICE_NOT_POSITIVE', [(lambda f: ~(f > 0), ' must be above 0')])
    number(22, 'retail_price_vat_inc', 'MM_PRICE_NOT_POSITIVE', [(lambda f: ~(f > 0), ' must be above 0')])
    number(23, 'quantity', 'MM_QUANTITY_INVALID', [(lambda f: f < 0, ' must be at least 0')], whole=True)
    number(24, 'product_vat_rate', 'MM_NUMBER_INVALID', [(lambda f: f < 0, ' must be at least 0'), (lambda f: f > 100, ' must be at most 100')])
    shipping = r['shipping_time']
    add(25, present['shipping_time'] & ~shipping.str.match(r'[0-9]+#[0-9]+\Z', na=False), 'MM_SHIPPING_TIME', 'shipping_time',
        lambda m: 'shipping_time ' + show(shipping[m]) + ' is not a delivery time in days as min#max (e.g. "2#4")')
    number(26, 'shipping_price_vat_inc', 'MM_SHIPPING_PRICE_INVALID', [(lambda f: f < 0, ' must be at least 0')])
    number(27, 'free_return', 'MM_NUMBER_INVALID', [(lambda f: ~f.isin([0, 1]), ' must be one of 0, 1')], whole=True)
    # the groups: an EAN, or the manufacturer's reference and the brand; per-product shipping complete
    add(40, ~present['ean'] & ~(present['sku_manufacturer'] & present['brand']), 'MM_EAN_OR_MANUFACTURER', 'ean',
        lambda m: 'the product has no ean, and no sku_manufacturer + brand to identify it instead (missing: ean'
        + pd.Series(np.where(present['sku_manufacturer'][m], '', ', sku_manufacturer'), index=r.index[m])
        + np.where(present['brand'][m], '', ', brand') + ')')
    ship_missing = pd.Series('', index=r.index)
    for c in ['carrier', 'shipping_time', 'shipping_price_vat_inc']:
        ship_missing = ship_missing + np.where(present[c], '', ', ' + c)
    add(41, ship_missing != '', 'MM_SHIPPING_METHOD', 'use_grid',
        lambda m: 'use_grid 0: per-product shipping is incomplete (missing: ' + ship_missing[m].str.slice(2) + ')')
    schema = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=COLUMNS)

    def spoken_of(attribute):
        return pd.Series(r.index.isin(schema.loc[schema['attribute'] == attribute, 'index']), index=r.index)

    # the record rules, each left out where the schema already spoke of its attribute (the shipping time excepted)
    add(45, sku.str.match(FORMULA_START, na=False) & ~spoken_of('sku'), 'MM_SKU_FORMULA', 'sku', lambda m: 'sku ' + show(sku[m]) + ' starts with '
        + sku[m].str.slice(0, 1).map(lambda c: json.dumps(c, ensure_ascii=False)) + ', which a spreadsheet reads as the start of a formula')
    sku_chars = sku.str.len()   # code points, as [...sku].length counts them
    add(46, (sku_chars > SKU_MAX_LENGTH) & ~spoken_of('sku'), 'MM_SKU_TOO_LONG', 'sku',
        lambda m: 'sku ' + show(sku[m]) + ' has ' + sku_chars[m].astype(int).astype(str) + f' characters, more than {SKU_MAX_LENGTH}')
    # control characters, attribute by attribute in the record's order (a numeric attribute's text that is no number too)
    for k, c in enumerate(c for c in record_order if c in r.columns):
        text = r[c] if r[c].dtype == object else bad_text.get(c)
        if text is None:
            continue
        control = CONTROL_IN_SKU if c == 'sku' else CONTROL
        has = text.str.contains(f'[{control}]', regex=True, na=False)
        if has.any():
            hit = text[has].str.extract(f'\\A([^{control}]*)([{control}])').reindex(r.index)
            add(47 + k / 100, has & ~spoken_of(c), 'MM_CONTROL_CHARACTER', c, lambda m, c=c, hit=hit: c + ' holds the control character '
                + hit[1][m].map(control_text) + ' at character ' + (hit[0][m].map(utf16_len) + 1).astype(str))
    shaped = ean[present['ean'] & ean.str.match(EAN_SHAPE, na=False)]
    codes = shaped.str.split('#').explode()
    bad = codes[~gs1_valid(codes)].groupby(level=0).agg('#'.join) if len(codes) else pd.Series(dtype=object)
    add(50, pd.Series(r.index.isin(bad.index), index=r.index) & ~spoken_of('ean'), 'MM_EAN_INVALID', 'ean',
        lambda m: 'ean ' + show(bad.reindex(r.index[m])) + ' has a wrong check digit')
    price, retail = r['product_price_vat_inc'], r['retail_price_vat_inc']
    add(51, (price > 0) & (retail > 0) & ~(retail > price) & ~spoken_of('retail_price_vat_inc'), 'MM_RETAIL_NOT_ABOVE_PRICE', 'retail_price_vat_inc',
        lambda m: 'retail_price_vat_inc ' + show(retail[m]) + ' is not above product_price_vat_inc ' + show(price[m]))
    interval = shipping.str.extract(r'\A([0-9]+)#([0-9]+)\Z')
    add(52, interval[0].astype('float64') > interval[1].astype('float64'), 'MM_SHIPPING_TIME', 'shipping_time',
        lambda m: 'shipping_time ' + show(shipping[m]) + ': the minimum (' + interval[0][m] + ' days) is above the maximum (' + interval[1][m] + ' days)')
    add(53, ~present['mm_category_id'] & ~spoken_of('mm_category_id'), 'MM_CATEGORY_REQUIRED', 'mm_category_id',
        lambda m: pd.Series('mm_category_id is missing: ManoMano needs the category of every product', index=r.index[m]))
    failed = pd.Series(r.index.isin(pd.concat(found)['index']) if found else False, index=r.index)
    # duplicates, against the records written before (which depend on their own duplicates: settle it)
    ref = r['brand'].str.lower() + '\0' + r['sku_manufacturer'].str.lower()
    sku_before, ref_before = sku.isin(state.skus), ref.isin(state.refs)
    written = ~failed & ~sku.duplicated() & ~(ref.duplicated() & ref.notna()) & ~sku_before & ~ref_before
    for _ in range(50):
        dup_sku, dup_ref = earlier_written(sku, written, sku_before), earlier_written(ref, written, ref_before)
        settled = ~failed & ~dup_sku & ~dup_ref
        if settled.equals(written):
            break
        written = settled
    else:
        raise RuntimeError('duplicates did not settle in 50 rounds')
    state.skus.update(sku[written])
    state.refs.update(ref[written].dropna())
    add(60, dup_sku, 'MM_DUPLICATE_SKU', 'sku', lambda m: 'sku ' + show(sku[m]) + ' was already written earlier in this feed')
    add(61, dup_ref, 'MM_DUPLICATE_MANUFACTURER_REF', 'sku_manufacturer', lambda m: 'sku_manufacturer ' + show(r['sku_manufacturer'][m])
        + ' of brand ' + show(r['brand'][m]) + ' was already used by another product of this feed')
    # the warnings of what is written: HTML left in the title or description, an EAN another sku has
    for order, c in [(70, 'title'), (71, 'description')]:
        hit = r[c].where(written).str.extract(HTML)[0]
        add(order, hit.notna(), 'MM_HTML_LEFT', c, lambda m, c=c, hit=hit: c + ' still holds HTML (' + show(hit[m]) + ') after the mapping: ManoMano shows it as text', 'warning')
    owner = ean_owners(ean.where(written), sku, state.ean_owner)
    add(72, owner.notna(), 'MM_DUPLICATE_EAN', 'ean', lambda m: 'ean ' + show(ean[m]) + ' is already the ean of sku ' + show(owner[m])
        + ' in this feed: one barcode identifies one product', 'warning')
    table = pd.concat(found, ignore_index=True).sort_values(['index', 'order'], kind='stable') if found else pd.DataFrame(columns=COLUMNS)
    table['id'] = table['index'].map(sku).fillna(table['index'].map(source_id))
    table['stage'] = 'destination'
    feed = r[written].astype(object)
    for c in feed.columns:
        if r[c].dtype == 'float64':
            numbers = r[c][written].dropna()
            feed[c] = pd.Series(format_number(numbers.to_numpy(), 2 if c in PRICES else 6), index=numbers.index).reindex(feed.index)
    return feed, table


# engine/terminal.ts's UNSAFE: C0 controls but tab and LF, DEL, C1 controls, bidirectional embeddings, overrides and isolates
UNSAFE = '[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]'
NAMED_ESCAPES = {'\n': '\\n', '\r': '\\r', '\t': '\\t', '\x1b': '\\e'}


def _escape(m):
    c = m.group(0)
    code = ord(c)
    return NAMED_ESCAPES.get(c) or (f'\\x{code:02x}' if code <= 0xff else f'\\u{code:04x}')


def human_cells(column):
    """csv-format.ts humanCell on a column of texts: control characters shown escaped, a formula start made inert with a leading '."""
    unsafe = column.str.contains(UNSAFE, regex=True, na=False)
    if unsafe.any():
        column = column.copy()
        column[unsafe] = column[unsafe].str.replace(UNSAFE, _escape, regex=True)
    formula = column.str.match(FORMULA_START, na=False) & ~column.str.match(r'[+-]?[0-9]+(?:[.,][0-9]+)?\Z', na=False)
    return column.mask(formula, "'" + column)
