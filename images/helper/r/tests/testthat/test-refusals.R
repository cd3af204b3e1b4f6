call_crosstab <- function(...) {
  args <- list(persons(), dataset = "persons", unit = "person_id", rows = "district", name = "t", description = "d")
  over <- list(...)
  args[names(over)] <- over
  do.call(datakamp_crosstab, args)
}

test_that("unsafe names are refused and nothing is written", {
  dir <- local_outbox()
  for (bad in list("../escape", "a/b", "a.b", "", ".hidden", "-x", "x y", "\u00e9", strrep("a", 101), NA, "t\n", c("a", "b")))
    expect_error(call_crosstab(name = bad), "is not allowed", class = "datakamp_error")
  expect_equal(out_files(), character())
  expect_false(file.exists(file.path(dir, "escape.csv")))
})

test_that("a description is required", {
  local_outbox()
  for (bad in list(NULL, "", "   ", NA_character_))
    expect_error(call_crosstab(description = bad), "description is required")
  expect_equal(out_files(), character())
})

test_that("requests the checker would refuse are refused before writing", {
  local_outbox()
  cases <- list(
    list(aggfunc = "sum"),
    list(values = "income"),
    list(aggfunc = "average", values = "income"),
    list(aggfunc = "p100", values = "income"),
    list(rows = "person_id"),
    list(rows = c("district", "district")),
    list(rows = "district", cols = "age_band", layers = c("benefit", "income")),
    list(rows = character()),
    list(values = "district", aggfunc = "sum"),
    list(weight = "income", aggfunc = "median", values = "age_band"),
    list(rows = "nope"),
    list(values = "benefit", aggfunc = "sum"),
    list(filter = 'benefit == "nobody"'))
  for (kw in cases) expect_error(do.call(call_crosstab, kw), class = "datakamp_error")
  expect_equal(out_files(), character())
})

test_that("filter errors name the position", {
  local_outbox()
  expect_error(call_crosstab(filter = 'benefit = "yes"'), "use '==' to compare, not '=' at position 9", fixed = TRUE)
  expect_error(call_crosstab(filter = "benefit == yes"), "put text in double quotes", fixed = TRUE)
  expect_error(call_crosstab(filter = 'bnefit == "yes"'), "unknown column 'bnefit' at position 1", fixed = TRUE)
  expect_error(call_crosstab(filter = "benefit > 3"), "which is not a number", fixed = TRUE)
  expect_error(call_crosstab(filter = '(benefit == "yes"'), "expected ')'", fixed = TRUE)
  expect_equal(out_files(), character())
})

test_that("a category named Total is refused with margins", {
  local_outbox()
  df <- data.frame(id = 1:2, r = c("Total", "x"))
  expect_error(datakamp_crosstab(df, dataset = "d", unit = "id", rows = "r", margins = TRUE, name = "t", description = "d"),
               "reserved for margins")
})

test_that("a symlink in the outbox is replaced, not followed", {
  dir <- local_outbox()
  target <- file.path(dir, "outside.txt")
  writeLines("keep me", target)
  file.symlink(target, file.path(dir, "outbox", "t.csv"))
  call_crosstab()
  expect_equal(Sys.readlink(file.path(dir, "outbox", "t.csv")), "")
  expect_equal(readLines(target), "keep me")
  expect_identical(read_out("t.csv"), "district,value\nA,3\nB,4\n")
})

test_that("a missing outbox is an error", {
  dir <- local_outbox()
  withr::local_envvar(DATAKAMP_OUTBOX = file.path(dir, "absent"))
  expect_error(call_crosstab(), "cannot be opened")
})

test_that("plots are saved as PNG and SVG with a description", {
  local_outbox()
  p <- ggplot2::ggplot(data.frame(d = c("A", "B"), n = c(3, 4)), ggplot2::aes(d, n)) + ggplot2::geom_col()
  path <- datakamp_save_plot(p, "units_by_district", "Units per district (bar chart).")
  expect_equal(basename(path), "units_by_district.png")
  expect_equal(readBin(path, "raw", 8), as.raw(c(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)))
  datakamp_save_plot(function() barplot(c(A = 3, B = 4)), "base_svg", "Same, base graphics, SVG.", format = "svg")
  expect_match(read_out("base_svg.svg"), "<svg", fixed = TRUE)
  expect_identical(read_out("base_svg.description.txt"), "Same, base graphics, SVG.\n")
  expect_error(datakamp_save_plot(p, "x", "d", format = "pdf"))
  expect_error(datakamp_save_plot(p, "../x", "d"), "is not allowed")
  expect_equal(out_files(), c("base_svg.description.txt", "base_svg.svg",
                              "units_by_district.description.txt", "units_by_district.png"))
})
