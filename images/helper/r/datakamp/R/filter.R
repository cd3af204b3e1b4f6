# The checker's filter language, evaluated on a data.frame (same grammar and meaning as the host's
# checker): `column OP literal` with OP in == != < <= > >=, `column in [lit, ...]`, and, or, not,
# parentheses; precedence not > and > or. Literals: "double-quoted text" (escapes \" and \\) or
# numbers. A missing (NA or empty) field makes every comparison false. A text literal compares the
# field's text (ordinal, C locale); a number literal compares numerically, and a field that is not a
# number is an error.

.dk_filter_error <- function(reason, position = NULL) {
  where <- if (is.null(position)) "" else paste0(" at position ", position + 1L)
  stop(structure(class = c("datakamp_filter_error", "datakamp_error", "error", "condition"),
                 list(message = paste0("filter: ", reason, where), call = NULL)))
}

.dk_is_digit <- function(ch) grepl("^[0-9]$", ch)
.dk_is_alpha <- function(ch) grepl("^[A-Za-z_]$", ch)
.dk_is_alnum <- function(ch) grepl("^[A-Za-z0-9_.]$", ch)

.dk_tokenize <- function(text) {
  chars <- strsplit(enc2utf8(text), "")[[1]]
  n <- length(chars)
  at <- function(i) if (i <= n) chars[i] else ""
  tokens <- list()
  add <- function(kind, value, pos) tokens[[length(tokens) + 1L]] <<- list(kind = kind, value = value, pos = pos)
  i <- 1L
  while (i <= n) {
    c <- chars[i]
    start <- i - 1L  # 0-based position, as in the checker
    if (grepl("^[[:space:]]$", c)) { i <- i + 1L; next }
    if (c %in% c("(", ")", "[", "]", ",")) { add(c, c, start); i <- i + 1L; next }
    if (c == "=") {
      if (at(i + 1L) != "=") .dk_filter_error("use '==' to compare, not '='", start)
      add("op", "==", start); i <- i + 2L; next
    }
    if (c == "!") {
      if (at(i + 1L) != "=") .dk_filter_error("unexpected '!' (use '!=' or 'not')", start)
      add("op", "!=", start); i <- i + 2L; next
    }
    if (c %in% c("<", ">")) {
      op <- if (at(i + 1L) == "=") paste0(c, "=") else c
      add("op", op, start); i <- i + nchar(op); next
    }
    if (c == "\"") {
      i <- i + 1L
      out <- character()
      repeat {
        if (i > n) .dk_filter_error("string is not closed with '\"'", start)
        ch <- chars[i]; i <- i + 1L
        if (ch == "\"") break
        if (ch == "\\") {
          if (i > n) .dk_filter_error("string is not closed with '\"'", start)
          e <- chars[i]; i <- i + 1L
          if (!(e %in% c("\"", "\\"))) .dk_filter_error(paste0("unknown escape '\\", e, "' in string"), i - 3L)
          out <- c(out, e); next
        }
        out <- c(out, ch)
      }
      add("str", paste(out, collapse = ""), start); next
    }
    if (.dk_is_digit(c) || (c %in% c("-", "+", ".") && (.dk_is_digit(at(i + 1L)) || at(i + 1L) == "."))) {
      j <- i + 1L
      while (j <= n && (.dk_is_digit(chars[j]) || chars[j] %in% c(".", "e", "E") ||
                        (chars[j] %in% c("-", "+") && chars[j - 1L] %in% c("e", "E")))) j <- j + 1L
      s <- paste(chars[i:(j - 1L)], collapse = "")
      if (!grepl("^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$", s))
        .dk_filter_error(paste0("'", s, "' is not a number"), start)
      v <- as.numeric(s)
      if (!is.finite(v)) .dk_filter_error(paste0("'", s, "' is not a number"), start)
      add("num", v, start); i <- j; next
    }
    if (.dk_is_alpha(c)) {
      j <- i + 1L
      while (j <= n && .dk_is_alnum(chars[j])) j <- j + 1L
      word <- paste(chars[i:(j - 1L)], collapse = "")
      add(if (word %in% c("and", "or", "not", "in")) word else "id", word, start)
      i <- j; next
    }
    .dk_filter_error(paste0("unexpected character '", c, "'"), start)
  }
  add("end", "end of filter", n)
  tokens
}

.dk_parse_filter <- function(text) {
  tokens <- .dk_tokenize(text)
  i <- 1L
  cur <- function() tokens[[i]]
  nxt <- function() if (i < length(tokens)) i <<- i + 1L
  accept <- function(kind) { if (cur()$kind != kind) return(FALSE); nxt(); TRUE }
  expect <- function(kind, what)
    if (!accept(kind)) .dk_filter_error(paste0("expected ", what, ", found '", cur()$value, "'"), cur()$pos)
  literal <- function() {
    t <- cur()
    if (t$kind %in% c("str", "num")) { nxt(); return(list(kind = t$kind, value = t$value)) }
    if (t$kind == "id")
      .dk_filter_error(paste0("expected a \"string\" or a number, found '", t$value, "' (put text in double quotes)"), t$pos)
    .dk_filter_error(paste0("expected a \"string\" or a number, found '", t$value, "'"), t$pos)
  }
  parse_or <- function() {
    left <- parse_and()
    while (accept("or")) left <- list(op = "or", left = left, right = parse_and())
    left
  }
  parse_and <- function() {
    left <- parse_unary()
    while (accept("and")) left <- list(op = "and", left = left, right = parse_unary())
    left
  }
  parse_unary <- function() if (accept("not")) list(op = "not", inner = parse_unary()) else parse_primary()
  parse_primary <- function() {
    if (accept("(")) { inner <- parse_or(); expect(")", "')'"); return(inner) }
    t <- cur()
    if (t$kind != "id")
      .dk_filter_error(if (t$kind == "end") "filter ends where a column name was expected"
                       else paste0("expected a column name, found '", t$value, "'"), t$pos)
    nxt()
    if (accept("in")) {
      expect("[", "'[' after 'in'")
      items <- list(literal())
      while (accept(",")) items[[length(items) + 1L]] <- literal()
      expect("]", "']' or ','")
      return(list(op = "in", column = t$value, pos = t$pos, items = items))
    }
    if (cur()$kind != "op")
      .dk_filter_error(paste0("expected a comparison (==, !=, <, <=, >, >=, in) after '", t$value,
                              "', found '", cur()$value, "'"), cur()$pos)
    op <- cur()$value
    nxt()
    list(op = "cmp", column = t$value, pos = t$pos, cmp = op, literal = literal())
  }
  tree <- parse_or()
  if (cur()$kind != "end") .dk_filter_error(paste0("unexpected '", cur()$value, "'"), cur()$pos)
  tree
}

.dk_filter_columns <- function(tree) {
  if (tree$op %in% c("and", "or")) return(c(.dk_filter_columns(tree$left), .dk_filter_columns(tree$right)))
  if (tree$op == "not") return(.dk_filter_columns(tree$inner))
  list(list(column = tree$column, pos = tree$pos))
}

.dk_holds <- function(cmp, a, b) switch(cmp, "==" = a == b, "!=" = a != b, "<" = a < b,
                                        "<=" = a <= b, ">" = a > b, ">=" = a >= b)

.dk_compare <- function(df, column, cmp, literal) {
  x <- df[[column]]
  text <- .dk_text(x)
  missing <- is.na(text)
  if (literal$kind == "str") {
    lit <- enc2utf8(literal$value)
    if (cmp %in% c("==", "!=")) {
      r <- .dk_holds(cmp, text, lit)
    } else {
      old <- Sys.getlocale("LC_COLLATE")
      on.exit(Sys.setlocale("LC_COLLATE", old), add = TRUE)
      Sys.setlocale("LC_COLLATE", "C")
      r <- .dk_holds(cmp, text, lit)
    }
  } else {
    if (is.logical(x))
      .dk_filter_error(paste0("column '", column, "' holds TRUE/FALSE, which is not a number, but the filter compares it with ", literal$value))
    num <- if (is.numeric(x)) as.numeric(x) else suppressWarnings(as.numeric(ifelse(.dk_is_number_text(text), text, NA)))
    bad <- is.na(num) & !missing
    if (any(bad))
      .dk_filter_error(paste0("column '", column, "' has '", text[bad][1], "', which is not a number, ",
                              "but the filter compares it with ", literal$value))
    r <- .dk_holds(cmp, num, literal$value)
  }
  r[missing] <- FALSE
  r
}

.dk_eval_filter <- function(tree, df) {
  switch(tree$op,
    and = .dk_eval_filter(tree$left, df) & .dk_eval_filter(tree$right, df),
    or = .dk_eval_filter(tree$left, df) | .dk_eval_filter(tree$right, df),
    not = !.dk_eval_filter(tree$inner, df),
    `in` = {
      if (!(tree$column %in% names(df))) .dk_filter_error(paste0("unknown column '", tree$column, "'"), tree$pos)
      r <- rep(FALSE, nrow(df))
      for (item in tree$items) r <- r | .dk_compare(df, tree$column, "==", item)
      r
    },
    cmp = {
      if (!(tree$column %in% names(df))) .dk_filter_error(paste0("unknown column '", tree$column, "'"), tree$pos)
      .dk_compare(df, tree$column, tree$cmp, tree$literal)
    })
}
