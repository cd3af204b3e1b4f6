# Tests of the R helper on a small hand-made data.frame; expected numbers worked out by hand
# (the same cases as the Python tests, so both helpers write the same files).

spec_header <- "# Table spec for the Datakamp disclosure checker (written by the datakamp helper).\n"

test_that("sum with filter and margins writes the exact CSV, spec and description", {
  local_outbox()
  t <- datakamp_crosstab(persons(), dataset = "persons", unit = "person_id", rows = "district",
                         cols = "age_band", values = "income", aggfunc = "sum", filter = 'benefit == "yes"',
                         margins = TRUE, name = "income_by_district",
                         description = "Total income of benefit recipients by district and age band.")
  expect_equal(out_files(), c("income_by_district.csv", "income_by_district.description.txt",
                              "income_by_district.spec.yaml"))
  expect_identical(read_out("income_by_district.csv"), paste0(
    "district,age_band,value\n",
    "A,old,200\nA,young,160\nA,Total,360\n",
    "B,old,405\nB,young,\nB,Total,405\n",
    "Total,old,605\nTotal,young,160\nTotal,Total,765\n"))
  expect_identical(read_out("income_by_district.spec.yaml"), paste0(
    spec_header,
    "version: 1\n",
    "kind: table\n",
    "dataset: \"persons\"\n",
    "unit: \"person_id\"\n",
    "rows: [\"district\"]\n",
    "cols: [\"age_band\"]\n",
    "statistic: sum\n",
    "value: \"income\"\n",
    "filter: \"benefit == \\\"yes\\\"\"\n",
    "margins: true\n",
    "file: \"income_by_district.csv\"\n"))
  expect_identical(read_out("income_by_district.description.txt"),
                   "Total income of benefit recipients by district and age band.\n")
  expect_equal(t$district, c("A", "B", "Total"))
  expect_equal(names(t), c("district", "old", "young", "Total"))
  expect_equal(t$young, c(160, NA, 160))
})

test_that("count counts distinct units, and a margin counts a unit once", {
  local_outbox()
  datakamp_crosstab(persons(), dataset = "persons", unit = "person_id", rows = "district", cols = "age_band",
                    filter = 'benefit == "yes"', margins = TRUE, name = "n", description = "Units.")
  expect_identical(read_out("n.csv"), paste0(
    "district,age_band,value\n",
    "A,old,1\nA,young,2\nA,Total,3\n",
    "B,old,3\nB,young,0\nB,Total,3\n",
    "Total,old,3\nTotal,young,2\nTotal,Total,5\n"))
  expect_match(read_out("n.spec.yaml"), "statistic: count\n", fixed = TRUE)
  expect_false(grepl("value:", read_out("n.spec.yaml"), fixed = TRUE))
})

test_that("mean is over unit values that have a value", {
  local_outbox()
  datakamp_crosstab(persons(), dataset = "persons", unit = "person_id", rows = "district", cols = "age_band",
                    values = "income", aggfunc = "mean", filter = 'benefit == "yes"', margins = TRUE,
                    name = "mean_income", description = "Mean income.")
  expect_identical(read_out("mean_income.csv"), paste0(
    "district,age_band,value\n",
    "A,old,200\nA,young,80\nA,Total,120\n",
    "B,old,202.5\nB,young,\nB,Total,202.5\n",
    "Total,old,302.5\nTotal,young,80\nTotal,Total,191.25\n"))
})

test_that("median and percentiles interpolate linearly over unit values", {
  local_outbox()
  datakamp_crosstab(persons(), dataset = "persons", unit = "person_id", rows = "district", values = "income",
                    aggfunc = "median", margins = TRUE, name = "med", description = "Median income.")
  expect_identical(read_out("med.csv"), "district,value\nA,150\nB,300\nTotal,205\n")
  datakamp_crosstab(persons(), dataset = "persons", unit = "person_id", rows = "district", values = "income",
                    aggfunc = "p90", margins = TRUE, name = "p90", description = "90th percentile.")
  expect_identical(read_out("p90.csv"), "district,value\nA,190\nB,380\nTotal,360\n")
  expect_match(read_out("p90.spec.yaml"), "statistic: p90\n", fixed = TRUE)
})

test_that("min, max and std", {
  local_outbox()
  datakamp_crosstab(persons(), dataset = "persons", unit = "person_id", rows = "district", values = "income",
                    aggfunc = "std", name = "sd", description = "Spread.")
  got <- utils::read.csv(file.path(Sys.getenv("DATAKAMP_OUTBOX"), "sd.csv"))
  expect_equal(got$value, c(sqrt(9700), sqrt(42175)), tolerance = 1e-12)
  datakamp_crosstab(persons(), dataset = "persons", unit = "person_id", rows = "district", values = "income",
                    aggfunc = "max", name = "mx", description = "Largest.")
  expect_identical(read_out("mx.csv"), "district,value\nA,200\nB,400\n")
  datakamp_crosstab(persons(), dataset = "persons", unit = "person_id", rows = "district", values = "income",
                    aggfunc = "min", name = "mn", description = "Smallest.")
  expect_identical(read_out("mn.csv"), "district,value\nA,10\nB,5\n")
})

test_that("numeric filters, not, in-lists and missing values", {
  local_outbox()
  datakamp_crosstab(persons(), dataset = "persons", unit = "person_id", rows = "district",
                    filter = "income >= 100", name = "rich", description = "x")
  expect_identical(read_out("rich.csv"), "district,value\nA,2\nB,2\n")
  datakamp_crosstab(persons(), dataset = "persons", unit = "person_id", rows = "district",
                    filter = "not income >= 100", name = "poor", description = "x")
  expect_identical(read_out("poor.csv"), "district,value\nA,2\nB,2\n")
  datakamp_crosstab(persons(), dataset = "persons", unit = "person_id", rows = "district",
                    filter = 'district in ["A", "C"] and (age_band != "old" or income < 0)',
                    name = "in_list", description = "x")
  expect_identical(read_out("in_list.csv"), "district,value\nA,2\n")
})

test_that("numeric categories sort as numbers, text ordinally", {
  local_outbox()
  df <- data.frame(id = 1:4, year = c(10, 9, 100, 9), g = c("b", "B", "a", "b"))
  datakamp_crosstab(df, dataset = "d", unit = "id", rows = "year", cols = "g", name = "years", description = "x")
  expect_identical(read_out("years.csv"),
                   "year,g,value\n9,B,1\n9,a,0\n9,b,1\n10,B,0\n10,a,0\n10,b,1\n100,B,0\n100,a,1\n100,b,0\n")
})

test_that("weighted count and sum", {
  local_outbox()
  df <- data.frame(id = c(1, 1, 2, 3), r = c("x", "x", "x", "y"), v = c(1, 2, 4, 8), w = c(2, 2, 0.5, 3))
  datakamp_crosstab(df, dataset = "d", unit = "id", rows = "r", weight = "w", margins = TRUE, name = "wc",
                    description = "x")
  expect_identical(read_out("wc.csv"), "r,value\nx,2.5\ny,3\nTotal,5.5\n")
  expect_match(read_out("wc.spec.yaml"), "weight: \"w\"\n", fixed = TRUE)
  datakamp_crosstab(df, dataset = "d", unit = "id", rows = "r", values = "v", aggfunc = "sum", weight = "w",
                    name = "ws", description = "x")
  expect_identical(read_out("ws.csv"), "r,value\nx,8\ny,24\n")
})

test_that("three dimensions, CSV quoting, data.table input", {
  local_outbox()
  df <- data.table::data.table(id = c(1, 2), a = c("x,1", "q\"y"), b = c("u", "u"), c = c(1L, 2L))
  datakamp_crosstab(df, dataset = "workspace:derived/file.csv", unit = "id", rows = "a", cols = "b", layers = "c",
                    name = "three", description = "line one\nline two")
  expect_identical(read_out("three.csv"),
                   "a,b,c,value\n\"q\"\"y\",u,1,0\n\"q\"\"y\",u,2,1\n\"x,1\",u,1,1\n\"x,1\",u,2,0\n")
  spec <- read_out("three.spec.yaml")
  expect_match(spec, "dataset: \"workspace:derived/file.csv\"\n", fixed = TRUE)
  expect_match(spec, "layers: [\"c\"]\n", fixed = TRUE)
  expect_identical(read_out("three.description.txt"), "line one\nline two\n")
})

test_that("rows with an empty dimension value are in no cell", {
  local_outbox()
  df <- data.frame(id = 1:3, r = c("x", "", NA))
  datakamp_crosstab(df, dataset = "d", unit = "id", rows = "r", name = "e", description = "x")
  expect_identical(read_out("e.csv"), "r,value\nx,1\n")
})

test_that("rewriting a table replaces its files", {
  local_outbox()
  datakamp_crosstab(persons(), dataset = "p", unit = "person_id", rows = "district", name = "t", description = "one")
  datakamp_crosstab(persons(), dataset = "p", unit = "person_id", rows = "age_band", name = "t", description = "two")
  expect_identical(read_out("t.csv"), "age_band,value\nold,3\nyoung,3\n")
  expect_identical(read_out("t.description.txt"), "two\n")
  expect_equal(out_files(), c("t.csv", "t.description.txt", "t.spec.yaml"))
})

test_that("factor columns (here made with dplyr) are read as their labels", {
  local_outbox()
  df <- dplyr::mutate(persons(), district = factor(district))
  datakamp_crosstab(df, dataset = "persons", unit = "person_id", rows = "district",
                    margins = TRUE, name = "f", description = "x")
  expect_identical(read_out("f.csv"), "district,value\nA,3\nB,4\nTotal,6\n")
})
