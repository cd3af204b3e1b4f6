# datakamp_crosstab: compute a table the way the host's disclosure checker recomputes it from the
# microdata (statistics over units: a unit's rows in a cell are first summed to one unit value), and
# write it to the outbox with its spec and description. Same rules and same files as the Python helper.

.dk_total <- "Total"
.dk_statistics <- c("count", "sum", "mean", "median", "min", "max", "std")

.dk_error <- function(...) {
  stop(structure(class = c("datakamp_error", "error", "condition"),
                 list(message = paste0(...), call = NULL)))
}

# Shortest plain text that reads back as the same number; integers without decimals; "" for NA.
.dk_format_number <- function(v) {
  v <- as.numeric(v)
  out <- character(length(v))
  for (k in seq_along(v)) {
    x <- v[k]
    if (is.na(x)) { out[k] <- ""; next }
    if (!is.finite(x)) .dk_error("a table value is infinite")
    if (x == round(x) && abs(x) < 2^53) { out[k] <- sprintf("%.0f", x); next }
    s <- sprintf("%.15g", x)
    if (as.numeric(s) != x) s <- sprintf("%.16g", x)
    if (as.numeric(s) != x) s <- sprintf("%.17g", x)
    out[k] <- s
  }
  sub("^-0$", "0", out)
}

.dk_number_re <- "^[[:space:]]*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?[[:space:]]*$"
.dk_is_number_text <- function(s) !is.na(s) & grepl(.dk_number_re, s)

# A column as the checker sees it: text, NA where missing (NA or "").
.dk_text <- function(x) {
  if (is.factor(x)) x <- as.character(x)
  if (is.logical(x)) {
    out <- ifelse(x, "TRUE", "FALSE")
  } else if (is.numeric(x)) {
    out <- ifelse(is.na(x), NA_character_, .dk_format_number(x))
  } else {
    out <- enc2utf8(as.character(x))
  }
  out[!is.na(out) & out == ""] <- NA_character_
  out
}

.dk_numbers <- function(x, column, what) {
  if (is.logical(x) && !all(is.na(x))) .dk_error("the ", what, " column '", column, "' holds TRUE/FALSE, not numbers")
  text <- .dk_text(x)
  num <- if (is.numeric(x)) as.numeric(x) else suppressWarnings(as.numeric(ifelse(.dk_is_number_text(text), text, NA)))
  bad <- (is.na(num) & !is.na(text)) | (!is.na(num) & !is.finite(num))
  if (any(bad)) .dk_error("the ", what, " column '", column, "' has '", text[bad][1], "', which is not a finite number")
  num
}

# The checker's order: numeric when every category reads as a number, else ordinal (C locale).
.dk_category_order <- function(names) {
  if (length(names) > 0 && all(.dk_is_number_text(names)))
    return(names[order(as.numeric(names), names, method = "radix")])
  names[order(names, method = "radix")]
}

.dk_statistic <- function(aggfunc) {
  if (!is.character(aggfunc) || length(aggfunc) != 1 || is.na(aggfunc))
    .dk_error("aggfunc must be one of count, sum, mean, median, min, max, std or pNN (e.g. \"p90\")")
  a <- tolower(trimws(aggfunc))
  if (a == "length" || a == "size") a <- "count"
  if (a %in% .dk_statistics) return(a)
  if (grepl("^p[1-9][0-9]?$", a)) return(sprintf("p%02d", as.integer(substring(a, 2))))
  .dk_error("unknown aggfunc '", aggfunc, "': use count, sum, mean, median, min, max, std or pNN such as p90")
}

.dk_names <- function(x, what) {
  if (is.null(x)) return(character())
  if (!is.character(x) || any(is.na(x)) || any(x == ""))
    .dk_error(what, ": column names must be non-empty text")
  x
}

.dk_yaml_str <- function(s) {
  cps <- utf8ToInt(enc2utf8(s))
  parts <- vapply(cps, function(o) {
    if (o == 34L) return("\\\"")
    if (o == 92L) return("\\\\")
    if (o < 32L || o == 127L || (o >= 128L && o < 160L) || o %in% c(0x2028L, 0x2029L, 0xFEFFL))
      return(sprintf("\\u%04x", o))
    intToUtf8(o)
  }, "")
  paste0("\"", paste(parts, collapse = ""), "\"")
}
.dk_yaml_list <- function(items) paste0("[", paste(vapply(items, .dk_yaml_str, ""), collapse = ", "), "]")

.dk_spec_text <- function(dataset, unit, rows, cols, layers, statistic, value, weight, filter, margins, file) {
  lines <- c("# Table spec for the Datakamp disclosure checker (written by the datakamp helper).",
             "version: 1", "kind: table",
             paste0("dataset: ", .dk_yaml_str(dataset)), paste0("unit: ", .dk_yaml_str(unit)),
             paste0("rows: ", .dk_yaml_list(rows)))
  if (length(cols)) lines <- c(lines, paste0("cols: ", .dk_yaml_list(cols)))
  if (length(layers)) lines <- c(lines, paste0("layers: ", .dk_yaml_list(layers)))
  lines <- c(lines, paste0("statistic: ", statistic))
  if (!is.null(value)) lines <- c(lines, paste0("value: ", .dk_yaml_str(value)))
  if (!is.null(weight)) lines <- c(lines, paste0("weight: ", .dk_yaml_str(weight)))
  if (!is.null(filter)) lines <- c(lines, paste0("filter: ", .dk_yaml_str(filter)))
  lines <- c(lines, paste0("margins: ", if (margins) "true" else "false"), paste0("file: ", .dk_yaml_str(file)))
  paste0(paste(lines, collapse = "\n"), "\n")
}

.dk_csv_field <- function(s) {
  needs <- grepl("[,\"\r\n]", s)
  s[needs] <- paste0("\"", gsub("\"", "\"\"", s[needs], fixed = TRUE), "\"")
  s
}

.dk_long_csv <- function(long) {
  cols <- lapply(names(long), function(n) {
    v <- long[[n]]
    if (n == "value") .dk_format_number(v) else .dk_csv_field(v)
  })
  header <- paste(.dk_csv_field(names(long)), collapse = ",")
  body <- do.call(paste, c(cols, sep = ","))
  paste0(paste(c(header, body), collapse = "\n"), "\n")
}

# One statistic over the unit values of one cell (v: unit values, NA = no value; w: unit weights).
.dk_cell_value <- function(statistic, v, w, weighted) {
  has <- !is.na(v)
  vv <- v[has]
  switch(statistic,
    count = if (weighted) sum(w) else length(v),
    sum = if (weighted) sum(w[has] * vv) else sum(vv),
    mean = if (!any(has)) NA_real_ else if (weighted) sum(w[has] * vv) / sum(w[has]) else sum(vv) / length(vv),
    min = if (!any(has)) NA_real_ else min(vv),
    max = if (!any(has)) NA_real_ else max(vv),
    std = if (length(vv) < 2) NA_real_ else sd(vv),
    {
      q <- if (statistic == "median") 0.5 else as.integer(substring(statistic, 2)) / 100
      if (!any(has)) NA_real_ else unname(quantile(vv, q, type = 7, names = FALSE))
    })
}

.dk_compute <- function(df, unit, dims, statistic, value, weight, filter, margins) {
  for (col in c(unit, dims, value, weight))
    if (!(col %in% names(df))) .dk_error("the column '", col, "' is not in the data")
  if (!is.null(filter)) {
    tree <- .dk_parse_filter(filter)
    for (c in .dk_filter_columns(tree))
      if (!(c$column %in% names(df))) .dk_filter_error(paste0("unknown column '", c$column, "'"), c$pos)
    keep <- .dk_eval_filter(tree, df)
    df <- df[keep, , drop = FALSE]
    if (nrow(df) == 0) .dk_error("the filter matches no rows; an empty table cannot be checked")
  }
  if (nrow(df) == 0) .dk_error("the data has no rows; an empty table cannot be checked")
  d <- length(dims)
  dtext <- lapply(dims, function(x) .dk_text(df[[x]]))
  complete <- Reduce(`&`, lapply(dtext, function(t) !is.na(t)))
  if (!any(complete)) .dk_error("every row has an empty value in a dimension column; the table is empty")
  df <- df[complete, , drop = FALSE]
  dtext <- lapply(dtext, function(t) t[complete])
  u <- .dk_text(df[[unit]])
  if (any(is.na(u))) .dk_error("the unit column '", unit, "' is empty on some rows; every row must name its unit")
  v <- if (statistic == "count") rep(NA_real_, nrow(df)) else .dk_numbers(df[[value]], value, "value")
  weighted <- !is.null(weight)
  if (weighted) {
    w <- .dk_numbers(df[[weight]], weight, "weight")
    if (any(is.na(w))) .dk_error("the weight column '", weight, "' is empty on some rows")
    if (any(w < 0)) .dk_error("the weight column '", weight, "' is negative on some rows")
    nw <- tapply(w, u, function(x) length(unique(x)))
    if (any(nw > 1)) .dk_error("unit '", names(nw)[nw > 1][1], "' has different weights on different rows; a unit must have one weight")
  } else {
    w <- rep(1, nrow(df))
  }
  categories <- lapply(seq_len(d), function(i) .dk_category_order(unique(dtext[[i]])))
  if (margins) for (i in seq_len(d))
    if (.dk_total %in% categories[[i]]) .dk_error("column '", dims[i], "' has a category 'Total', which is reserved for margins")

  # The full table in the checker's order: last dimension fastest, Total last.
  levels <- lapply(categories, function(c) if (margins) c(c, .dk_total) else c)
  grid <- expand.grid(rev(levels), stringsAsFactors = FALSE, KEEP.OUT.ATTRS = FALSE)
  grid <- grid[, rev(seq_len(d)), drop = FALSE]
  names(grid) <- dims
  result <- rep(NA_real_, nrow(grid))
  sep <- "\x1f"
  masks <- if (margins) 0:(2^d - 1) else 0
  for (mask in masks) {
    kept <- which(bitwAnd(mask, 2^(seq_len(d) - 1)) == 0)
    totals <- setdiff(seq_len(d), kept)
    cell <- if (length(kept)) do.call(paste, c(dtext[kept], sep = sep)) else rep("*", nrow(df))
    uk <- paste(cell, u, sep = "\x1e")
    first <- !duplicated(uk)
    vs <- rowsum(ifelse(is.na(v), 0, v), uk, reorder = FALSE)[, 1]
    nv <- rowsum(as.numeric(!is.na(v)), uk, reorder = FALSE)[, 1]
    unit_value <- ifelse(nv > 0, vs, NA_real_)
    unit_cell <- cell[first]
    unit_w <- w[first]
    groups <- split(seq_along(unit_cell), factor(unit_cell, levels = unique(unit_cell)))
    values <- vapply(groups, function(ix) .dk_cell_value(statistic, unit_value[ix], unit_w[ix], weighted), 0)
    on_mask <- rep(TRUE, nrow(grid))
    for (i in totals) on_mask <- on_mask & grid[[i]] == .dk_total
    for (i in kept) on_mask <- on_mask & grid[[i]] != .dk_total
    gkey <- if (length(kept)) do.call(paste, c(grid[on_mask, kept, drop = FALSE], sep = sep)) else rep("*", sum(on_mask))
    result[on_mask] <- unname(values[gkey])
  }
  if (statistic == "count") result[is.na(result)] <- 0
  long <- grid
  long$value <- result
  rownames(long) <- NULL
  long
}

.dk_wide <- function(long, rows, across) {
  if (!length(across)) return(long)
  rkey <- do.call(paste, c(long[rows], sep = "\x1f"))
  ckey <- do.call(paste, c(long[across], sep = " / "))
  rk <- unique(rkey)
  ck <- unique(ckey)
  out <- long[match(rk, rkey), rows, drop = FALSE]
  for (c in ck) out[[c]] <- long$value[ckey == c][match(rk, rkey[ckey == c])]
  rownames(out) <- NULL
  out
}

#' Compute a table like the disclosure checker, write it to the outbox, and return it.
#'
#' Writes <outbox>/<name>.csv (long form), <name>.spec.yaml and <name>.description.txt, where the
#' outbox is Sys.getenv("DATAKAMP_OUTBOX", "/outbox"). Returns the table as a wide data.frame.
datakamp_crosstab <- function(df, dataset, unit, rows, cols = NULL, values = NULL, aggfunc = "count",
                              filter = NULL, margins = FALSE, name, description, layers = NULL, weight = NULL) {
  .dk_check_name(name)
  desc <- .dk_check_description(description)
  for (key in c("dataset", "unit")) {
    x <- get(key)
    if (!is.character(x) || length(x) != 1 || is.na(x) || !nzchar(trimws(x))) .dk_error("'", key, "' must be non-empty text")
  }
  statistic <- .dk_statistic(aggfunc)
  rows <- .dk_names(rows, "rows"); cols <- .dk_names(cols, "cols"); layers <- .dk_names(layers, "layers")
  dims <- c(rows, cols, layers)
  if (!length(rows)) .dk_error("a table needs at least one dimension in 'rows'")
  if (length(dims) > 3) .dk_error("at most 3 dimensions are supported (rows, cols, layers), not ", length(dims))
  if (anyDuplicated(dims)) .dk_error("dimension '", dims[duplicated(dims)][1], "' is listed twice")
  if (unit %in% dims) .dk_error("the unit column '", unit, "' cannot also be a dimension")
  if (statistic != "count" && is.null(values)) .dk_error("aggfunc '", statistic, "' needs a 'values' column")
  if (statistic == "count" && !is.null(values)) .dk_error("aggfunc 'count' counts units and takes no 'values' column")
  if (!is.null(values) && (!is.character(values) || length(values) != 1 || is.na(values) || values == unit || values %in% dims))
    .dk_error("the values column must be one column name, not the unit or a dimension")
  if (!is.null(weight)) {
    if (!is.character(weight) || length(weight) != 1 || is.na(weight) || weight == "") .dk_error("'weight' must be one column name")
    if (!(statistic %in% c("count", "sum", "mean"))) .dk_error("weights are supported for count, sum and mean only, not for '", statistic, "'")
    if (weight %in% c(unit, values, dims)) .dk_error("the weight column '", weight, "' is also used for something else")
  }
  if (!is.null(filter)) {
    if (!is.character(filter) || length(filter) != 1 || is.na(filter)) .dk_error("filter must be text in the checker's filter language")
    if (!nzchar(trimws(filter))) filter <- NULL
  }
  if (!is.data.frame(df)) .dk_error("the first argument must be a data.frame (or data.table / tibble)")
  df <- as.data.frame(df, stringsAsFactors = FALSE)
  long <- .dk_compute(df, unit, dims, statistic, values, weight, filter, isTRUE(margins))
  csv_name <- paste0(name, ".csv")
  files <- list()
  files[[csv_name]] <- .dk_long_csv(long)
  files[[paste0(name, ".description.txt")]] <- desc
  files[[paste0(name, ".spec.yaml")]] <- .dk_spec_text(dataset, unit, rows, cols, layers, statistic, values, weight,
                                                       filter, isTRUE(margins), csv_name)
  .dk_write_files(files)
  .dk_wide(long, rows, c(cols, layers))
}
