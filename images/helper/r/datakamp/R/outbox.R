# Writing into the outbox, and nowhere else. Names are plain file names (letters, digits, '_' and '-',
# starting with a letter or digit, at most 100 characters), so no name can point outside the outbox.
# Each file is written under a fresh temporary name and renamed over the final name: rename replaces a
# symlink placed in the outbox instead of following it, and a reader never sees half a file.
# The helper only writes files: it never sends anything anywhere.

#' The outbox folder: $DATAKAMP_OUTBOX, or /outbox.
datakamp_outbox <- function() {
  p <- Sys.getenv("DATAKAMP_OUTBOX", "")
  if (nzchar(p)) p else "/outbox"
}

.dk_check_name <- function(name) {
  if (!is.character(name) || length(name) != 1 || is.na(name) ||
      !grepl("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$", name, perl = TRUE) || grepl("\n", name, fixed = TRUE))
    .dk_error("name '", paste(format(name), collapse = " "), "' is not allowed: use 1-100 letters, digits, '_' or '-', ",
              "starting with a letter or digit (no dots, slashes or spaces); the file extension is added for you")
  invisible(name)
}

.dk_check_description <- function(description) {
  if (!is.character(description) || length(description) != 1 || is.na(description) || !nzchar(trimws(description)))
    .dk_error("a description is required: say in a sentence what the output shows (population, filter, period), ",
              "so the output checker can review it")
  if (nchar(description) > 10000) .dk_error("the description is longer than 10000 characters")
  paste0(trimws(gsub("\r\n", "\n", enc2utf8(description), fixed = TRUE)), "\n")
}

.dk_random <- function() paste(sample(c(letters, 0:9), 12, replace = TRUE), collapse = "")

.dk_write_one <- function(dir, fname, write) {
  if (grepl("/", fname, fixed = TRUE) || startsWith(fname, ".")) .dk_error("refusing file name '", fname, "'")
  tmp <- file.path(dir, paste0(".", fname, ".", .dk_random(), ".tmp"))
  link <- Sys.readlink(tmp)
  if (file.exists(tmp) || (!is.na(link) && nzchar(link))) .dk_error("temporary file exists: ", tmp)
  ok <- FALSE
  on.exit(if (!ok) unlink(tmp), add = TRUE)
  write(tmp)
  if (!file.rename(tmp, file.path(dir, fname))) .dk_error("cannot write ", file.path(dir, fname))
  ok <- TRUE
  file.path(dir, fname)
}

.dk_write_text <- function(path, text) {
  con <- file(path, open = "wb")
  on.exit(close(con))
  writeBin(charToRaw(enc2utf8(text)), con)
}

.dk_outbox_dir <- function() {
  dir <- datakamp_outbox()
  info <- file.info(dir)
  if (is.na(info$isdir) || !info$isdir) .dk_error("the outbox ", dir, " cannot be opened: not a folder")
  normalizePath(dir, mustWork = TRUE)
}

# files: named list of file name -> text.
.dk_write_files <- function(files) {
  dir <- .dk_outbox_dir()
  invisible(vapply(names(files), function(f) .dk_write_one(dir, f, function(p) .dk_write_text(p, files[[f]])), ""))
}
