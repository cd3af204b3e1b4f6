# Cross-check: the same 39 tables with the R helper, from read.csv and data.table::fread input.
Sys.setenv(DATAKAMP_OUTBOX = "/x/r")
df <- read.csv("/x/data/persons.csv", stringsAsFactors = FALSE)
dt <- data.table::fread("/x/data/persons.csv")
n <- 0
for (stat in c("count", "sum", "mean", "median", "p90", "p10", "min", "max", "std")) {
  v <- if (stat == "count") NULL else "income"
  datakamp_crosstab(df, dataset = "persons", unit = "person_id", rows = "district", values = v, aggfunc = stat,
                    margins = TRUE, name = paste0(stat, "_1d"), description = "x")
  datakamp_crosstab(dt, dataset = "persons", unit = "person_id", rows = "district", cols = "age_band", values = v,
                    aggfunc = stat, margins = TRUE, filter = 'benefit == "yes"', name = paste0(stat, "_2d"), description = "x")
  datakamp_crosstab(df, dataset = "persons", unit = "person_id", rows = "age_band", cols = "sex", layers = "district",
                    values = v, aggfunc = stat, margins = TRUE, filter = 'not income >= 2500 or district in ["A", "C"]',
                    name = paste0(stat, "_3d"), description = "x")
  datakamp_crosstab(dt, dataset = "persons", unit = "person_id", rows = "sex", cols = "district", values = v,
                    aggfunc = stat, filter = "age_band >= 30 and income < 3000", name = paste0(stat, "_nomargins"),
                    description = "x")
  n <- n + 4
}
for (stat in c("count", "sum", "mean")) {
  v <- if (stat == "count") NULL else "income"
  datakamp_crosstab(df, dataset = "persons", unit = "person_id", rows = "district", cols = "benefit", values = v,
                    aggfunc = stat, margins = TRUE, weight = "w", name = paste0(stat, "_weighted"), description = "x")
  n <- n + 1
}
cat(n, "tables\n")
