# Cross-check: 39 tables with the Python helper (every statistic, 1-3 dimensions, filters, weights).
import os, pandas as pd, datakamp
os.environ["DATAKAMP_OUTBOX"] = "/x/py"
df = pd.read_csv("/x/data/persons.csv")
cases = []
for stat in ["count", "sum", "mean", "median", "p90", "p10", "min", "max", "std"]:
    v = None if stat == "count" else "income"
    cases += [
        dict(name=f"{stat}_1d", rows="district", values=v, aggfunc=stat, margins=True),
        dict(name=f"{stat}_2d", rows="district", cols="age_band", values=v, aggfunc=stat, margins=True,
             filter='benefit == "yes"'),
        dict(name=f"{stat}_3d", rows="age_band", cols="sex", layers="district", values=v, aggfunc=stat,
             margins=True, filter='not income >= 2500 or district in ["A", "C"]'),
        dict(name=f"{stat}_nomargins", rows="sex", cols="district", values=v, aggfunc=stat,
             filter="age_band >= 30 and income < 3000"),
    ]
for stat in ["count", "sum", "mean"]:
    v = None if stat == "count" else "income"
    cases.append(dict(name=f"{stat}_weighted", rows="district", cols="benefit", values=v, aggfunc=stat,
                      margins=True, weight="w"))
for c in cases:
    datakamp.crosstab(df, dataset="persons", unit="person_id", description="cross-check", **c)
print(len(cases), "tables")
