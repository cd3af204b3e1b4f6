"""datakamp.crosstab: compute a table the way the host's checker recomputes it, and put it in the outbox.

Statistics are over units (persons, households, enterprises): a unit's rows in a cell are first summed
to one unit value, as the checker does. count = distinct units (weighted: sum of unit weights);
sum = sum of unit values; mean = sum / units with a value (weighted: sum w*v / sum w); median and pNN =
linear interpolation (numpy/pandas default); min; max; std = sample standard deviation (n - 1).
Categories are the values present after the filter, sorted numerically when all are numbers, else by
text; empty combinations are cells too. Margins add a 'Total' category for every subset of dimensions.
"""

import csv
import io
import itertools
import re

import numpy as np
import pandas as pd

from ._filter import FilterError, evaluate_filter, filter_columns, parse_filter
from ._outbox import check_description, check_name, write_files
from ._text import as_text, format_number, is_missing, is_number_text

TOTAL = "Total"
STATISTICS = ("count", "sum", "mean", "median", "min", "max", "std")
_PERCENTILE = re.compile(r"p([1-9][0-9]?)")


class TableError(ValueError):
    """A table request the checker would refuse, found before anything is written."""


def _statistic(aggfunc):
    if not isinstance(aggfunc, str):
        raise TableError("aggfunc must be one of count, sum, mean, median, min, max, std or pNN (e.g. 'p90'), "
                         f"given as text, not {aggfunc!r}")
    a = aggfunc.strip().lower()
    if a == "size":
        a = "count"
    m = _PERCENTILE.fullmatch(a)
    if a in STATISTICS or (m and 1 <= int(m.group(1)) <= 99):
        if m:
            a = "p%02d" % int(m.group(1))
        return a
    raise TableError(f"unknown aggfunc {aggfunc!r}: use count, sum, mean, median, min, max, std or pNN such as p90")


def _names(value, what):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    names = list(value)
    for n in names:
        if not isinstance(n, str) or n == "":
            raise TableError(f"{what}: column names must be non-empty text, not {n!r}")
    return names


def _category_order(names):
    """The checker's order: numeric when every category reads as a number, else ordinal (UTF-16 code units)."""
    def ordinal(s):
        return s.encode("utf-16-be", "surrogatepass")
    if names and all(is_number_text(n) for n in names):
        return sorted(names, key=lambda n: (float(n), ordinal(n)))
    return sorted(names, key=ordinal)


def _yaml_str(s):
    """A YAML double-quoted scalar (JSON string syntax, which YAML reads the same)."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif o < 0x20 or o == 0x7f or 0x80 <= o < 0xa0 or o in (0x2028, 0x2029, 0xfeff) or 0xd800 <= o < 0xe000:
            out.append("\\u%04x" % o if o < 0x10000 else "\\U%08x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _yaml_list(items):
    return "[" + ", ".join(_yaml_str(i) for i in items) + "]"


def spec_text(*, dataset, unit, rows, cols, layers, statistic, value, weight, filter, margins, file):
    """The spec file (checker spec format, version 1) for one table."""
    lines = ["# Table spec for the Datakamp disclosure checker (written by the datakamp helper).",
             "version: 1", "kind: table",
             f"dataset: {_yaml_str(dataset)}", f"unit: {_yaml_str(unit)}",
             f"rows: {_yaml_list(rows)}"]
    if cols:
        lines.append(f"cols: {_yaml_list(cols)}")
    if layers:
        lines.append(f"layers: {_yaml_list(layers)}")
    lines.append(f"statistic: {statistic}")
    if value is not None:
        lines.append(f"value: {_yaml_str(value)}")
    if weight is not None:
        lines.append(f"weight: {_yaml_str(weight)}")
    if filter is not None:
        lines.append(f"filter: {_yaml_str(filter)}")
    lines.append(f"margins: {'true' if margins else 'false'}")
    lines.append(f"file: {_yaml_str(file)}")
    return "\n".join(lines) + "\n"


def _numbers(series, column, what):
    missing = is_missing(series)
    if pd.api.types.is_bool_dtype(series):
        raise TableError(f"the {what} column '{column}' holds True/False, not numbers")
    if pd.api.types.is_numeric_dtype(series):
        num = series.astype(float)
    else:
        num = pd.to_numeric(as_text(series), errors="coerce")
    bad = (num.isna() & ~missing) | ~np.isfinite(num.fillna(0))
    if bad.any():
        raise TableError(f"the {what} column '{column}' has {series[bad].iloc[0]!r}, which is not a finite number")
    return num.where(~missing)


def compute(df, *, unit, dims, statistic, value=None, weight=None, filter=None, margins=False):
    """Computes the table. Returns (categories per dimension, long DataFrame: dims + 'value')."""
    if not isinstance(df, pd.DataFrame):
        raise TableError("the first argument must be a pandas DataFrame")
    for col, what in [(unit, "unit")] + [(d, "dimension") for d in dims] + \
                     [(c, w) for c, w in ((value, "value"), (weight, "weight")) if c is not None]:
        if col not in df.columns:
            raise TableError(f"the {what} column '{col}' is not in the DataFrame")
    if filter is not None and filter.strip():
        tree = parse_filter(filter)
        for col, pos in filter_columns(tree):
            if col not in df.columns:
                raise FilterError(f"unknown column '{col}'", pos)
        keep = evaluate_filter(tree, df)
        df = df[keep]
        if len(df) == 0:
            raise TableError("the filter matches no rows; an empty table cannot be checked")
    if len(df) == 0:
        raise TableError("the DataFrame has no rows; an empty table cannot be checked")

    work = pd.DataFrame(index=df.index)
    for i, d in enumerate(dims):
        work[f"d{i}"] = as_text(df[d])
    dcols = [f"d{i}" for i in range(len(dims))]
    work = work[work[dcols].notna().all(axis=1)]
    if len(work) == 0:
        raise TableError("every row has an empty value in a dimension column; the table is empty")
    df = df.loc[work.index]
    u = as_text(df[unit])
    if u.isna().any():
        raise TableError(f"the unit column '{unit}' is empty on some rows; every row must name its unit")
    work["u"] = u
    magnitude = statistic != "count"
    work["v"] = _numbers(df[value], value, "value") if magnitude else np.nan
    if weight is not None:
        w = _numbers(df[weight], weight, "weight")
        if w.isna().any():
            raise TableError(f"the weight column '{weight}' is empty on some rows")
        if (w < 0).any():
            raise TableError(f"the weight column '{weight}' is negative on some rows")
        work["w"] = w
        per_unit = work.groupby("u", sort=False)["w"].nunique()
        if (per_unit > 1).any():
            raise TableError(f"unit '{per_unit[per_unit > 1].index[0]}' has different weights on different rows; "
                             "a unit must have one weight")
    else:
        work["w"] = 1.0

    categories = []
    for i, d in enumerate(dims):
        cats = _category_order(list(pd.unique(work[f"d{i}"])))
        if margins and TOTAL in cats:
            raise TableError(f"column '{d}' has a category 'Total', which is reserved for margins")
        categories.append(cats)

    # Every cell of the full table, in the checker's order (last dimension fastest, Total last).
    levels = [c + ([TOTAL] if margins else []) for c in categories]
    full = pd.MultiIndex.from_product(levels, names=dcols)
    result = pd.Series(np.nan, index=full, dtype=float)

    masks = range(1 << len(dims)) if margins else [0]
    for mask in masks:
        kept = [dcols[i] for i in range(len(dims)) if not mask & (1 << i)]
        per_unit = work.groupby(kept + ["u"], sort=False).agg(
            v=("v", "sum"), nv=("v", "count"), w=("w", "first")).reset_index()
        per_unit.loc[per_unit["nv"] == 0, "v"] = np.nan
        cells = _cell_values(per_unit, kept, statistic, weight is not None)
        for i, dc in enumerate(dcols):
            if mask & (1 << i):
                cells[dc] = TOTAL
        if len(cells):
            at = pd.MultiIndex.from_frame(cells[dcols])
            result.loc[at] = cells["value"].to_numpy()
    if statistic == "count":
        result = result.fillna(0.0)
    long = result.reset_index()
    long.columns = list(dims) + ["value"]
    return categories, long


def _cell_values(per_unit, kept, statistic, weighted):
    if not kept:
        per_unit = per_unit.assign(_all=0)
        keys = ["_all"]
    else:
        keys = kept
    g = per_unit.groupby(keys, sort=False)
    valued = per_unit[per_unit["v"].notna()]
    gv = valued.groupby(keys, sort=False)
    if statistic == "count":
        out = g["w"].sum() if weighted else g.size()
    elif statistic == "sum":
        if weighted:
            out = valued.assign(wv=valued["w"] * valued["v"]).groupby(keys, sort=False)["wv"].sum()
        else:
            out = gv["v"].sum()
        out = out.reindex(g.size().index, fill_value=0.0)  # units without a value: sum 0
    elif statistic == "mean":
        if weighted:
            t = valued.assign(wv=valued["w"] * valued["v"]).groupby(keys, sort=False)[["wv", "w"]].sum()
            out = t["wv"] / t["w"]
        else:
            out = gv["v"].sum() / gv["v"].count()
    elif statistic == "min":
        out = gv["v"].min()
    elif statistic == "max":
        out = gv["v"].max()
    elif statistic == "std":
        out = gv["v"].std(ddof=1)
    else:
        q = 0.5 if statistic == "median" else int(statistic[1:]) / 100.0
        out = gv["v"].quantile(q, interpolation="linear")
    out = out.astype(float).rename("value").reset_index()
    if not kept:
        out = out.drop(columns=["_all"])
    return out


def _wide(long, rows, cols_all, statistic, value):
    if not cols_all:
        t = long.set_index(rows)[["value"]]
        t.columns = [statistic if value is None else f"{statistic}({value})"]
        return t
    wide = long.pivot(index=rows, columns=cols_all, values="value")
    # pivot sorts labels; restore the checker's order (Total last).
    row_order = pd.MultiIndex.from_frame(long[rows].drop_duplicates()) if len(rows) > 1 \
        else pd.Index(long[rows[0]].drop_duplicates(), name=rows[0])
    col_order = pd.MultiIndex.from_frame(long[cols_all].drop_duplicates()) if len(cols_all) > 1 \
        else pd.Index(long[cols_all[0]].drop_duplicates(), name=cols_all[0])
    return wide.reindex(index=row_order, columns=col_order)


def long_csv(long):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(list(long.columns))
    for rec in long.itertuples(index=False):
        w.writerow(list(rec[:-1]) + [format_number(rec[-1])])
    return buf.getvalue()


def crosstab(df, *, dataset, unit, rows, cols=None, layers=None, values=None, aggfunc="count",
             filter=None, margins=False, weight=None, name, description):
    """Computes a table from ``df`` like the checker will, writes it for release, and returns it.

    Parameters (like pandas.crosstab / pivot_table and ACRO's crosstab):
      df          the microdata (a pandas DataFrame read from the granted dataset, unchanged)
      dataset     the granted dataset's name as the checker knows it (e.g. "persons")
      unit        column that identifies the contributor (e.g. "person_id"); counts are distinct units
      rows        dimension column(s) down the side; cols, layers: optional further dimensions (<= 3 in all)
      values      the value column (not for count); aggfunc: count, sum, mean, median, min, max, std, pNN
      filter      optional filter in the checker's language, e.g. 'benefit == "yes" and age >= 18'
      margins     add 'Total' rows/columns (every subset of dimensions, incl. the grand total)
      weight      optional weight column (count, sum, mean only; one weight per unit)
      name        file name without extension (letters, digits, '_', '-')
      description what the table shows, for the output checker
    Writes <outbox>/<name>.csv (long form), <name>.spec.yaml and <name>.description.txt, where the
    outbox is $DATAKAMP_OUTBOX or /outbox. Returns the table as a wide DataFrame (rows x cols).
    """
    check_name(name)
    desc = check_description(description)
    for key, v in (("dataset", dataset), ("unit", unit)):
        if not isinstance(v, str) or not v.strip():
            raise TableError(f"'{key}' must be non-empty text")
    statistic = _statistic(aggfunc)
    rows, cols, layers = _names(rows, "rows"), _names(cols, "cols"), _names(layers, "layers")
    dims = rows + cols + layers
    if not rows:
        raise TableError("a table needs at least one dimension in 'rows'")
    if len(dims) > 3:
        raise TableError(f"at most 3 dimensions are supported (rows, cols, layers), not {len(dims)}")
    for d in dims:
        if dims.count(d) > 1:
            raise TableError(f"dimension '{d}' is listed twice")
        if d == unit:
            raise TableError(f"the unit column '{d}' cannot also be a dimension")
    if statistic != "count" and not values:
        raise TableError(f"aggfunc '{statistic}' needs a 'values' column")
    if statistic == "count" and values is not None:
        raise TableError("aggfunc 'count' counts units and takes no 'values' column")
    if values is not None and (not isinstance(values, str) or values == unit or values in dims):
        raise TableError(f"the values column {values!r} must be one column name, not the unit or a dimension")
    if weight is not None:
        if not isinstance(weight, str) or not weight:
            raise TableError("'weight' must be one column name")
        if statistic not in ("count", "sum", "mean"):
            raise TableError(f"weights are supported for count, sum and mean only, not for '{statistic}'")
        if weight in (unit, values) or weight in dims:
            raise TableError(f"the weight column '{weight}' is also used for something else")
    if filter is not None:
        if not isinstance(filter, str):
            raise TableError("filter must be text in the checker's filter language")
        if not filter.strip():
            filter = None
        elif "\x00" in filter:
            raise TableError("the filter contains a NUL character")

    _, long = compute(df, unit=unit, dims=dims, statistic=statistic, value=values, weight=weight,
                      filter=filter, margins=bool(margins))
    files = {
        f"{name}.csv": long_csv(long).encode("utf-8"),
        f"{name}.description.txt": desc.encode("utf-8"),
        f"{name}.spec.yaml": spec_text(dataset=dataset, unit=unit, rows=rows, cols=cols, layers=layers,
                                       statistic=statistic, value=values, weight=weight, filter=filter,
                                       margins=bool(margins), file=f"{name}.csv").encode("utf-8"),
    }
    write_files(files)
    return _wide(long, rows, cols + layers, statistic, values)
