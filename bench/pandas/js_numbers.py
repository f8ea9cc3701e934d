"""$parseNumber, $ambiguousNumber and $formatDecimal (engine/rules/functions.ts) on whole columns:
"59,99", "1 234,50", "1.234,50", "12.5 €" read as numbers; a text with one separator followed by
exactly three digits ("1,234") refused under "auto" (it reads 1.234 or 1234 depending on the
country); decimals rounded half away from zero on the shortest decimal writing of the number.
"""
import re

import numpy as np
import pandas as pd

from textops import JS_WS, js_number_str

AI = re.ASCII | re.IGNORECASE


def _float(text):
    """Python's float() of each text (correctly rounded, as JavaScript's Number); NaN where absent or not finite."""
    numbers = text.astype('float64')
    return numbers.where(np.isfinite(numbers))


def _could_be_thousands(first_int_digit, int_digits, frac_digits):
    return (frac_digits == 3) & (int_digits >= 1) & (int_digits <= 3) & (first_int_digit != '0')


def parse_number(s, mark='auto'):
    """$parseNumber(s, mark) of a column of non-empty texts: floats, NaN where it gives nothing."""
    out = pd.Series(np.nan, index=s.index)
    plain = s.str.match(r'-?[0-9]+(?:[.,][0-9]+)?\Z')
    p = s[plain]
    if len(p):
        comma, dot = p.str.find(','), p.str.find('.')
        sep = comma.where(comma >= 0, dot)
        negative = p.str.startswith('-')
        int_digits = sep - negative
        frac_digits = p.str.len() - sep - 1
        first = p.str.slice(1, 2).where(negative, p.str.slice(0, 1))     # the first digit of the integer part
        thousands = (sep >= 0) & _could_be_thousands(first, int_digits, frac_digits)
        sep_char = pd.Series(np.where(comma >= 0, ',', '.'), index=p.index)
        if mark == 'auto':
            value = p.str.replace(',', '.', n=1, regex=False).where(~thousands)
        else:
            other = (sep >= 0) & (sep_char != mark)
            grouped = p.str.replace(',', '', n=1, regex=False).str.replace('.', '', n=1, regex=False)
            value = p.str.replace(',', '.', n=1, regex=False).mask(other, grouped.where(thousands))
        out[p.index] = _float(value.where(value.notna(), None))
    o = s[~plain]
    if len(o):
        t = o.str.replace(f"[{JS_WS}']", '', regex=True)
        t = t.str.replace(r'(?:€|EUR|£|GBP|\$)\Z', '', regex=True, flags=AI).str.replace(r'\A(?:€|£|\$)', '', regex=True)
        m = t.str.extract(r'\A([+-]?)([0-9.,]+)(e[+-]?[0-9]+)?\Z', flags=AI)
        ok = m[1].notna()
        sign, body, exponent = m[0][ok], m[1][ok], m[2][ok].fillna('')
        commas, dots = body.str.count(','), body.str.count(r'\.')   # str.count takes a regex
        if mark == 'auto':
            last_comma_later = body.str.rfind(',') > body.str.rfind('.')
            point = np.select([(commas > 0) & (dots > 0) & last_comma_later, (commas > 0) & (dots > 0), commas == 1, dots == 1], [',', '.', ',', '.'], '')
        else:
            point = np.where(body.str.contains(mark, regex=False), mark, '')
        point = pd.Series(point, index=body.index)
        repeated = ((point == ',') & (commas > 1)) | ((point == '.') & (dots > 1))
        group = np.where(point == ',', '.', np.where(point == '.', ',', np.where(dots > 0, '.', ',')))
        if mark != 'auto':
            group = np.full(len(body), ',' if mark == '.' else '.')
        group = pd.Series(group, index=body.index)
        at = pd.Series(np.where(point == ',', body.str.find(','), np.where(point == '.', body.str.find('.'), body.str.len())), index=body.index)
        # the integer and decimal parts, cut at the first decimal mark
        int_part, frac = body.copy(), pd.Series('', index=body.index)
        for mark_char, cut in ((',', r'\A([^,]*),(.*)\Z'), ('.', r'\A([^.]*)\.(.*)\Z')):
            at_mark = point == mark_char
            if at_mark.any():
                parts = body[at_mark].str.extract(cut)
                int_part[at_mark], frac[at_mark] = parts[0], parts[1]
        bad = repeated | ~frac.str.match(r'[0-9]*\Z', na=False)
        has_group = pd.Series(np.where(group == ',', int_part.str.contains(',', regex=False), int_part.str.contains('.', regex=False)), index=body.index)
        groups_ok = np.where(group == ',', int_part.str.match(r'[1-9][0-9]{0,2}(?:,[0-9]{3})+\Z'), int_part.str.match(r'[1-9][0-9]{0,2}(?:\.[0-9]{3})+\Z'))
        bad |= has_group & ~groups_ok
        bad |= ~has_group & ~int_part.str.match(r'[0-9]*\Z')
        digits = int_part.str.replace(r'[.,]', '', regex=True)
        bad |= (digits == '') & (frac == '')
        if mark == 'auto':
            bad |= ((commas + dots) == 1) & _could_be_thousands(body.str.slice(0, 1), at, frac.str.len())
        text = sign + digits.where(digits != '', '0') + ('.' + frac).where(frac != '', '') + exponent
        out[body.index] = _float(text.where(~bad, None))
    return out


def ambiguous_number(s):
    """$ambiguousNumber(s): no number under "auto", but two different ones with "," or "." as the decimal mark."""
    auto, comma, dot = parse_number(s), parse_number(s, ','), parse_number(s, '.')
    return auto.isna() & comma.notna() & dot.notna() & (comma != dot), comma, dot


def round_decimal(x, decimals):
    """roundDecimal: the shortest writing of |x|, rounded half up at `decimals` (a carry ripples): (negative, int, frac)."""
    a = np.abs(x.to_numpy(dtype=float))
    text = pd.Series(js_number_str(a), index=x.index)
    parts = text.str.partition('.')
    int_part, frac = parts[0], parts[2]
    up = frac.str.slice(decimals, decimals + 1) >= '5'
    digits = int_part + frac.str.slice(0, decimals).str.pad(decimals, side='right', fillchar='0')
    simple = ~text.str.contains('e', regex=False) & (digits.str.len() <= 18)
    value = digits.where(simple, '0').astype('int64') + up.astype('int64')
    whole = value.astype(str).str.zfill(decimals + 1)
    int_out = whole.str.slice(0, -decimals) if decimals else whole
    frac_out = whole.str.slice(-decimals) if decimals else pd.Series('', index=x.index)
    for k in np.flatnonzero(~simple.to_numpy()):   # rare: a number written with an exponent, or 19 digits and more
        i, f = _round_text(text.iat[k], decimals)
        int_out.iat[k], frac_out.iat[k] = i, f
    zero = (int_out.str.strip('0') == '') & (frac_out.str.strip('0') == '')
    return (x.to_numpy() < 0) & ~zero.to_numpy(), int_out, frac_out


def _round_text(text, decimals):
    """round_decimal of one JavaScript number text, with Python's integers (any length, exponents)."""
    mantissa, _, exp = text.partition('e')
    int_part, _, frac = mantissa.partition('.')
    digits, point = int_part + frac, len(int_part) + int(exp or 0)
    if point <= 0:
        int_part, frac = '0', '0' * -point + digits
    elif point >= len(digits):
        int_part, frac = digits + '0' * (point - len(digits)), ''
    else:
        int_part, frac = digits[:point], digits[point:]
    if len(frac) <= decimals:
        return int_part, frac.ljust(decimals, '0')
    rounded = str(int(int_part + frac[:decimals]) + (frac[decimals] >= '5')).zfill(decimals + 1)
    return (rounded[:-decimals], rounded[-decimals:]) if decimals else (rounded, '')


def format_decimal(x, decimals):
    """$formatDecimal(x, decimals, ".", ""): texts, NaN where x is NaN."""
    present = x.dropna()
    negative, int_part, frac = round_decimal(present, decimals)
    text = int_part + ('.' + frac if decimals else '')
    text = text.where(~negative, '-' + text)
    return text.reindex(x.index)
