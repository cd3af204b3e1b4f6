"""The checker's filter language, evaluated on a pandas DataFrame.

Same grammar and meaning as the host's checker (src/Datakamp.Disclosure/Filters):
``column OP literal`` with OP in ``== != < <= > >=``, ``column in [lit, ...]``, ``and``, ``or``,
``not``, parentheses; precedence ``not`` > ``and`` > ``or``. Literals are "double-quoted text"
(escapes \\" and \\\\) or numbers. A missing (empty) field makes every comparison false. A text
literal compares the field's text (ordinal); a number literal compares numerically, and a field that
is not a number is an error.
"""

import re

import numpy as np
import pandas as pd

from ._text import as_text, is_missing

__all__ = ["FilterError", "parse_filter", "evaluate_filter", "filter_columns"]


class FilterError(ValueError):
    """A filter that does not parse, or that cannot be evaluated on the data."""

    def __init__(self, reason, position=None):
        self.reason = reason
        self.position = position
        where = "" if position is None else f" at position {position + 1}"
        super().__init__(f"filter: {reason}{where}")


_NUMBER_START = re.compile(r"[0-9]|[-+.][0-9.]")


def _tokenize(text):
    tokens = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        start = i
        if c in "()[],":
            tokens.append((c, c, i))
            i += 1
            continue
        if c == "=":
            if text[i + 1:i + 2] != "=":
                raise FilterError("use '==' to compare, not '='", i)
            tokens.append(("op", "==", i))
            i += 2
            continue
        if c == "!":
            if text[i + 1:i + 2] != "=":
                raise FilterError("unexpected '!' (use '!=' or 'not')", i)
            tokens.append(("op", "!=", i))
            i += 2
            continue
        if c in "<>":
            op = c + "=" if text[i + 1:i + 2] == "=" else c
            tokens.append(("op", op, i))
            i += len(op)
            continue
        if c == '"':
            i += 1
            out = []
            while True:
                if i >= n:
                    raise FilterError("string is not closed with '\"'", start)
                ch = text[i]
                i += 1
                if ch == '"':
                    break
                if ch == "\\":
                    if i >= n:
                        raise FilterError("string is not closed with '\"'", start)
                    e = text[i]
                    i += 1
                    if e not in '"\\':
                        raise FilterError(f"unknown escape '\\{e}' in string", i - 2)
                    out.append(e)
                    continue
                out.append(ch)
            tokens.append(("str", "".join(out), start))
            continue
        if c.isascii() and c.isdigit() or (c in "-+." and _NUMBER_START.match(text, i)):
            i += 1
            while i < n and ((text[i].isascii() and text[i].isdigit()) or text[i] in ".eE"
                             or (text[i] in "-+" and text[i - 1] in "eE")):
                i += 1
            s = text[start:i]
            try:
                v = float(s)
            except ValueError:
                raise FilterError(f"'{s}' is not a number", start) from None
            if not np.isfinite(v):
                raise FilterError(f"'{s}' is not a number", start)
            tokens.append(("num", v, start))
            continue
        if (c.isascii() and c.isalpha()) or c == "_":
            while i < n and ((text[i].isascii() and text[i].isalnum()) or text[i] in "_."):
                i += 1
            word = text[start:i]
            kind = word if word in ("and", "or", "not", "in") else "id"
            tokens.append((kind, word, start))
            continue
        raise FilterError(f"unexpected character '{c}'", i)
    tokens.append(("end", "end of filter", n))
    return tokens


class _Parser:
    def __init__(self, tokens):
        self.t = tokens
        self.i = 0

    @property
    def cur(self):
        return self.t[self.i]

    def next(self):
        if self.i < len(self.t) - 1:
            self.i += 1

    def accept(self, kind):
        if self.cur[0] != kind:
            return False
        self.next()
        return True

    def expect(self, kind, what):
        if not self.accept(kind):
            raise FilterError(f"expected {what}, found '{self.cur[1]}'", self.cur[2])

    def parse_or(self):
        left = self.parse_and()
        while self.accept("or"):
            left = ("or", left, self.parse_and())
        return left

    def parse_and(self):
        left = self.parse_unary()
        while self.accept("and"):
            left = ("and", left, self.parse_unary())
        return left

    def parse_unary(self):
        if self.accept("not"):
            return ("not", self.parse_unary())
        return self.parse_primary()

    def parse_primary(self):
        if self.accept("("):
            inner = self.parse_or()
            self.expect(")", "')'")
            return inner
        kind, text, pos = self.cur
        if kind != "id":
            raise FilterError("filter ends where a column name was expected" if kind == "end"
                              else f"expected a column name, found '{text}'", pos)
        self.next()
        if self.accept("in"):
            self.expect("[", "'[' after 'in'")
            items = [self.literal()]
            while self.accept(","):
                items.append(self.literal())
            self.expect("]", "']' or ','")
            return ("in", text, pos, items)
        if self.cur[0] != "op":
            raise FilterError(f"expected a comparison (==, !=, <, <=, >, >=, in) after '{text}', "
                              f"found '{self.cur[1]}'", self.cur[2])
        op = self.cur[1]
        self.next()
        return ("cmp", text, pos, op, self.literal())

    def literal(self):
        kind, value, pos = self.cur
        if kind in ("str", "num"):
            self.next()
            return (kind, value)
        if kind == "id":
            raise FilterError(f"expected a \"string\" or a number, found '{value}' (put text in double quotes)", pos)
        raise FilterError(f"expected a \"string\" or a number, found '{value}'", pos)


def parse_filter(text):
    """Parses filter text into a small tree; raises FilterError naming the (1-based) position."""
    p = _Parser(_tokenize(text))
    tree = p.parse_or()
    if p.cur[0] != "end":
        raise FilterError(f"unexpected '{p.cur[1]}'", p.cur[2])
    return tree


def filter_columns(tree):
    """(column, position) pairs used by a parsed filter, in order."""
    if tree[0] in ("and", "or"):
        return filter_columns(tree[1]) + filter_columns(tree[2])
    if tree[0] == "not":
        return filter_columns(tree[1])
    return [(tree[1], tree[2])]


_OPS = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def _utf16(s):
    return s.encode("utf-16-be", "surrogatepass")


def _compare(df, column, op, literal, cache):
    series = df[column]
    missing = is_missing(series)
    kind, lit = literal
    if kind == "str":
        key = ("text", column)
        if key not in cache:
            cache[key] = as_text(series)
        text = cache[key]
        if op in ("==", "!="):
            result = _OPS[op](text.to_numpy(dtype=object), lit)
        else:
            # Ordinal (code unit) comparison, as the checker does.
            lk = _utf16(lit)
            result = np.array([_OPS[op](_utf16(t), lk) if t is not None else False for t in text], dtype=bool)
        result = np.asarray(result, dtype=bool)
    else:
        key = ("num", column)
        if key not in cache:
            if pd.api.types.is_bool_dtype(series):
                raise FilterError(f"column '{column}' holds True/False, which is not a number, "
                                  f"but the filter compares it with {lit!r}")
            num = pd.to_numeric(as_text(series).where(~missing, None), errors="coerce") \
                if not pd.api.types.is_numeric_dtype(series) else series.astype(float)
            bad = num.isna() & ~missing
            if bad.any():
                sample = series[bad].iloc[0]
                raise FilterError(f"column '{column}' has '{sample}', which is not a number, "
                                  f"but the filter compares it with {lit!r}")
            cache[key] = num.to_numpy(dtype=float)
        result = _OPS[op](cache[key], lit)
        result = np.asarray(result, dtype=bool)
    return result & ~missing.to_numpy()


def evaluate_filter(tree, df, cache=None):
    """A boolean numpy array: which rows of ``df`` the filter keeps."""
    cache = {} if cache is None else cache
    kind = tree[0]
    if kind == "and":
        return evaluate_filter(tree[1], df, cache) & evaluate_filter(tree[2], df, cache)
    if kind == "or":
        return evaluate_filter(tree[1], df, cache) | evaluate_filter(tree[2], df, cache)
    if kind == "not":
        return ~evaluate_filter(tree[1], df, cache)
    column, pos = tree[1], tree[2]
    if column not in df.columns:
        raise FilterError(f"unknown column '{column}'", pos)
    if kind == "in":
        out = np.zeros(len(df), dtype=bool)
        for item in tree[3]:
            out |= _compare(df, column, "==", item, cache)
        return out
    return _compare(df, column, tree[3], tree[4], cache)
