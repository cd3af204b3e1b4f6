#' Save a plot (ggplot2 object, recorded base plot, or a function that draws) as PNG or SVG in the
#' outbox, with <name>.description.txt. Returns the path of the image invisibly.
datakamp_save_plot <- function(plot, name, description, format = c("png", "svg"), width = 7, height = 5, dpi = 150) {
  .dk_check_name(name)
  desc <- .dk_check_description(description)
  format <- match.arg(format)
  if (missing(plot) || is.null(plot)) .dk_error("datakamp_save_plot needs a plot: a ggplot, a recordPlot() or a function that draws")
  dir <- .dk_outbox_dir()
  draw <- function(path) {
    if (format == "png") png(path, width = width, height = height, units = "in", res = dpi)
    else svg(path, width = width, height = height)
    dev <- dev.cur()
    on.exit(dev.off(dev))
    if (inherits(plot, "recordedplot")) replayPlot(plot)
    else if (is.function(plot)) plot()
    else print(plot)
  }
  path <- .dk_write_one(dir, paste0(name, ".", format), draw)
  .dk_write_one(dir, paste0(name, ".description.txt"), function(p) .dk_write_text(p, desc))
  invisible(path)
}
