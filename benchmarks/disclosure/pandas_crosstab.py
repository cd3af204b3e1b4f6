#!/usr/bin/env python3
"""The pandas side of the disclosure benchmark, as a user would write it: the sum of income by
neighbourhood x age_band x household_type with every margin (61 x 7 x 7 = 2,989 cells for the
benchmark's data), from a plain read_csv.

pd.crosstab(..., margins=True) adds only the grand margins of its row and column index (no subtotal of
one column level over the other), so the table is built as the user would then do it: one groupby-sum
per set of dimensions (all 8 of them, the empty set being the grand total), margins labelled "Total".
Rows with an empty dimension value are in no cell (groupby drops them, and they are dropped before the
margins too, as datakamp does); empty incomes are left out of the sums.

usage: pandas_crosstab.py persons.csv out.csv
"""
import itertools
import sys

import pandas as pd

DIMS = ["neighbourhood", "age_band", "household_type"]
VALUE = "income"


def main():
    source, out = sys.argv[1], sys.argv[2]
    data = pd.read_csv(source)
    data = data.dropna(subset=DIMS)
    parts = []
    for k in range(len(DIMS), -1, -1):
        for dims in itertools.combinations(DIMS, k):
            if dims:
                part = data.groupby(list(dims))[VALUE].sum().reset_index()
            else:
                part = pd.DataFrame({VALUE: [data[VALUE].sum()]})
            for d in DIMS:
                if d not in dims:
                    part[d] = "Total"
            parts.append(part[DIMS + [VALUE]])
    table = pd.concat(parts, ignore_index=True)
    table.to_csv(out, index=False)
    print(f"{len(table)} cells written to {out}")


if __name__ == "__main__":
    main()
