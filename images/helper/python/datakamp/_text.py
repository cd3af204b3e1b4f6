"""Values as the checker sees them: text in a CSV file, where an empty field is missing."""

import math
import numbers
import re

import numpy as np
import pandas as pd


def format_number(v):
    """Shortest text that reads back as the same number (integers without '.0'); '' for NaN/None."""
    if v is None:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    v = float(v)
    if math.isnan(v):
        return ""
    if math.isinf(v):
        raise ValueError("a table value is infinite")
    if v.is_integer() and abs(v) < 2 ** 53:
        return str(int(v))
    return repr(v)


def _one(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, str):
        return v if v != "" else None
    if isinstance(v, (bool, np.bool_)):
        return "True" if v else "False"
    if isinstance(v, numbers.Number):
        if isinstance(v, float) and math.isnan(v):
            return None
        return format_number(v)
    if isinstance(v, float) and math.isnan(v):
        return None
    s = str(v)
    return s if s != "" else None


def as_text(series):
    """The column as text (object Series), None where the value is missing (NaN, None, '')."""
    s = series
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    return pd.Series([_one(v) for v in s.to_numpy(dtype=object)], index=series.index, dtype=object)


def is_missing(series):
    """True where the value is missing: NaN/None/NA, or an empty string."""
    m = series.isna()
    if series.dtype == object or pd.api.types.is_string_dtype(series) or isinstance(series.dtype, pd.CategoricalDtype):
        m = m | series.astype(object).map(lambda v: isinstance(v, str) and v == "").astype(bool)
    return m.astype(bool)


def is_number_text(s):
    """Whether the checker reads this category text as a finite number (for numeric sorting)."""
    return _NUMBER.fullmatch(s) is not None


_NUMBER = re.compile(r"\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*")
