# A fresh outbox per test (DATAKAMP_OUTBOX), and the hand-made data all tests share.
local_outbox <- function(env = parent.frame()) {
  dir <- tempfile("datakamp-test-")
  dir.create(file.path(dir, "outbox"), recursive = TRUE)
  withr::local_envvar(DATAKAMP_OUTBOX = file.path(dir, "outbox"), .local_envir = env)
  withr::defer(unlink(dir, recursive = TRUE), envir = env)
  dir
}

read_out <- function(name) {
  p <- file.path(Sys.getenv("DATAKAMP_OUTBOX"), name)
  rawToChar(readBin(p, "raw", file.info(p)$size))
}

out_files <- function() sort(list.files(Sys.getenv("DATAKAMP_OUTBOX"), all.files = TRUE, no.. = TRUE))

# Unit 1 has two rows in one cell (unit value 150); unit 2 is in two cells (A/old, B/old);
# unit 5 has no income; unit 3 is not on benefit.
persons <- function() data.frame(
  person_id = c(1, 1, 2, 3, 4, 5, 6, 2),
  district = c("A", "A", "A", "B", "B", "B", "A", "B"),
  age_band = c("young", "young", "old", "young", "old", "old", "young", "old"),
  income = c(100, 50, 200, 300, 400, NA, 10, 5),
  benefit = c("yes", "yes", "yes", "no", "yes", "yes", "yes", "yes"),
  stringsAsFactors = FALSE)
