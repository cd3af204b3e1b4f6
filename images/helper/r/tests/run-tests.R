# Runs the R helper's tests against the installed package `datakamp`:
#   Rscript /path/to/images/helper/r/tests/run-tests.R
# Exits non-zero when any test fails.
suppressPackageStartupMessages({ library(testthat); library(datakamp) })
here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])))
res <- testthat::test_dir(file.path(here, "testthat"), reporter = "summary", stop_on_failure = FALSE,
                          load_package = "none")
df <- as.data.frame(res)
cat(sprintf("R helper tests: %d tests, %d expectations, %d failed, %d errors, %d skipped\n",
            nrow(df), sum(df$nb), sum(df$failed), sum(df$error), sum(df$skipped)))
if (sum(df$failed) > 0 || any(df$error)) quit(status = 1)
