#!/usr/bin/env python3
"""The pandas side of the disclosure benchmark, the fair comparison: what `datakamp check` recomputes
for the benchmark's table (sum of income by neighbourhood x age_band x household_type, all margins).

For every cell, margins included, it computes what the disclosure rules need: the number of distinct
units, the sum and the two largest per-unit values. It groups by unit first (several rows of one unit
are one contributor), and a margin cell groups by unit again, so a unit in several inner cells counts
once there with the sum of its parts: the same semantics as the engine, and the fair comparison.

No rules are applied and nothing is suppressed: this is the recomputation only.

usage: pandas_rules.py persons.csv out.csv
"""
import itertools
import sys

import numpy as np
import pandas as pd

DIMS = ["neighbourhood", "age_band", "household_type"]
UNIT = "person_id"
VALUE = "income"


def cells(data, value):
    """One row per cell (inner and margin) with units, sum, x1 and x2 of the per-unit values."""
    codes = {d: data[d].cat.codes.to_numpy(np.int64) for d in DIMS}
    names = {d: np.asarray(data[d].cat.categories, dtype=object) for d in DIMS}
    values = data[value].to_numpy(np.float64) if value is not None else np.zeros(len(data))
    frames = []
    for k in range(len(DIMS), -1, -1):
        for dims in itertools.combinations(DIMS, k):
            # one integer key per cell of this margin: grouping on it is much faster than on several columns
            cell = np.zeros(len(data), dtype=np.int64)
            for d in dims:
                cell = cell * len(names[d]) + codes[d]
            frame = pd.DataFrame({"cell": cell, "unit": data["unit"].to_numpy(), "v": values})
            by_unit = frame.groupby(["cell", "unit"], sort=False)["v"]
            # min_count=1: a unit whose rows all miss the value has no value (NaN), not 0
            per_unit = (by_unit.size().astype(np.float64) * 0 if value is None else by_unit.sum(min_count=1))
            per_unit = per_unit.rename("v").reset_index().dropna(subset=["v"])
            per_unit["a"] = per_unit["v"].abs()
            stats = per_unit.groupby("cell", sort=False).agg(units=("v", "size"), sum=("v", "sum"))
            ranked = per_unit.sort_values("a", ascending=False)
            rank = ranked.groupby("cell", sort=False).cumcount()
            stats["x1"] = ranked[rank == 0].set_index("cell")["a"].reindex(stats.index)
            stats["x2"] = ranked[rank == 1].set_index("cell")["a"].reindex(stats.index).fillna(0.0)
            stats = stats.reset_index()
            rest = stats["cell"].to_numpy()
            for d in reversed(DIMS):
                if d in dims:
                    stats[d] = names[d][rest % len(names[d])]
                    rest = rest // len(names[d])
                else:
                    stats[d] = "Total"
            frames.append(stats[DIMS + ["units", "sum", "x1", "x2"]])
    return pd.concat(frames, ignore_index=True)


def main():
    source, out = sys.argv[1], sys.argv[2]
    data = pd.read_csv(source, usecols=[UNIT] + DIMS + [VALUE], dtype={d: "category" for d in DIMS})
    data = data.dropna(subset=DIMS)
    data["unit"] = pd.factorize(data[UNIT])[0]   # integer unit codes: grouping on strings is several times slower
    magnitude = cells(data, VALUE)
    magnitude.to_csv(out, index=False)
    print(f"{len(magnitude)} cells written to {out}")


if __name__ == "__main__":
    main()
