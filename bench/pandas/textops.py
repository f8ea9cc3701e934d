"""The text rule boxes of the reference pipeline as vectorised pandas string methods: strip_html's
seven tag patterns, entity decoding and whitespace folding, truncate's cut at a word boundary,
and JavaScript's way of writing a number. Python's regular expressions are told to read like
JavaScript's: `re.ASCII` (so `\\b`, `\\w` and case folding are ASCII, as without the `u` flag),
JavaScript's whitespace spelt out (Python's `\\s` also matches U+001C-U+001F and U+0085), `\\Z` for
`$` (Python's `$` also matches before a final line break).
"""
import re

import numpy as np
import pandas as pd

# JavaScript's \s (what [\s\u00a0\u202f] matches in the rule bodies)
JS_WS = '\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'
WS = f'[{JS_WS}]'
NOT_WS = f'[^{JS_WS}]'
AI = re.ASCII | re.IGNORECASE

# rules/strip_html.jsonata's passes, in its order (newlines: false)
TAG_PASSES = [
    (re.compile(r'<(?:script|style)\b[^>]*>[\s\S]*?</(?:script|style)' + WS + '*>', AI), ' '),
    (re.compile(r'<!--[\s\S]*?-->', re.ASCII), ''),
    (re.compile(r'<br' + WS + r'*/?>', AI), ' '),
    (re.compile(r'<li\b[^>]*>', AI), ' '),
    (re.compile(r'</?(?:p|div|ul|ol|li|h[1-6]|tr|table|section|article|blockquote)\b[^>]*>', AI), ' '),
    (re.compile(r'</?(?:td|th)\b[^>]*>', AI), ' '),
    (re.compile(r'</?[A-Za-z][^>]*>', re.ASCII), ''),
]
ENTITY = re.compile(r'&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));')


def decode_entities_factory(named):
    """$decodeHtmlEntities with manoflow's table of named entities; unknown or invalid ones stay as written."""
    def code_point(n, raw):
        return chr(n) if 0 < n <= 0x10FFFF and not 0xD800 <= n <= 0xDFFF else raw

    def one(m):
        if m.group(1) is not None:
            return code_point(int(m.group(1)), m.group(0))
        if m.group(2) is not None:
            return code_point(int(m.group(2), 16), m.group(0))
        return named.get(m.group(3), m.group(0))

    def decode(s):
        has = s.str.contains('&', regex=False)
        out = s.copy()
        out[has] = s[has].str.replace(ENTITY, one, regex=True)
        return out
    return decode


def strip_html(s, decode):
    """rules/strip_html (newlines: false): the tag passes, entities, then whitespace runs as one space, trimmed."""
    has_tag = s.str.contains('<', regex=False)
    tagged = s[has_tag]
    for pattern, replacement in TAG_PASSES:
        tagged = tagged.str.replace(pattern, replacement, regex=True)
    out = s.copy()
    out[has_tag] = tagged
    out = decode(out)
    return out.str.replace(WS + '+', ' ', regex=True).str.strip(' ')


def utf16_len(text):
    return len(text.encode('utf-16-le')) // 2


def truncate(s, max_length, ellipsis='…', word_boundary=True):
    """rules/truncate: texts longer than max_length characters (code points, as $substring counts) are cut."""
    ell = ellipsis if utf16_len(ellipsis) < max_length else ''   # $count($split($ellipsis, "")): UTF-16 units
    room = max_length - utf16_len(ell)
    long = s.str.len() > max_length
    if not long.any():
        return s
    text = s[long]
    cut = text.str.slice(0, room)
    at_space = text.str.slice(room, room + 1).str.match(WS)
    word = cut.str.replace(WS + '+' + NOT_WS + r'*\Z', '', regex=True) if word_boundary else cut
    word = word.where(~at_space, cut)
    kept = word.where(word != '', cut)
    out = s.copy()
    out[long] = kept.str.replace(f'[{JS_WS},;:\\-–—]+\\Z', '', regex=True) + ell
    return out


def js_number_str(x):
    """JavaScript's String(n) for finite numbers below 1e21 in magnitude: the shortest digits, no '.0', no exponent."""
    values = np.asarray(x, dtype='float64')
    text = pd.Series(values).astype(str).str.replace(r'\.0\Z', '', regex=True)
    # numpy writes very large and very small numbers with an exponent where JavaScript does not
    odd = text.str.contains('e', regex=False) & (np.abs(values) >= 1e-6)
    if odd.any():
        text[odd] = [np.format_float_positional(v, trim='-') for v in values[odd.to_numpy()]]
    return text.str.replace(r'\A-0\Z', '0', regex=True).to_numpy()
