# Cross-check input: synthetic microdata (150 units, several rows each, missing values, weights).
import numpy as np, pandas as pd
rng = np.random.default_rng(7)
rows = []
for unit in range(1, 151):
    w = round(float(rng.uniform(0.5, 3)), 3)
    district = rng.choice(list("ABCDE"))
    for _ in range(rng.integers(1, 5)):
        income = round(float(rng.normal(2000, 900)), 2)
        rows.append(dict(person_id=unit, district=district if rng.random() > 0.1 else rng.choice(list("ABCDE")),
                         age_band=int(rng.choice([20, 30, 40, 100, 9])),
                         sex=rng.choice(["m", "f", ""], p=[0.48, 0.48, 0.04]),
                         income=("" if rng.random() < 0.05 else income),
                         benefit=rng.choice(["yes", "no"]), w=w))
pd.DataFrame(rows).to_csv("/x/data/persons.csv", index=False)
