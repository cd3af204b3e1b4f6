"""datakamp.save_figure: put a matplotlib figure (PNG or SVG) in the outbox with its description."""

import io

from ._outbox import OutboxError, check_description, check_name, write_files

FORMATS = ("png", "svg")


def save_figure(fig=None, name=None, description=None, *, format="png", dpi=150):
    """Saves a figure as <outbox>/<name>.<format> plus <name>.description.txt; returns the file path.

    fig may be a matplotlib Figure, an Axes (its figure is saved), anything with ``savefig``
    (e.g. a seaborn grid), or None for the current pyplot figure. format is "png" or "svg".
    """
    check_name(name)
    desc = check_description(description)
    if format not in FORMATS:
        raise OutboxError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    if fig is None:
        import matplotlib.pyplot as plt
        fig = plt.gcf()
    if not hasattr(fig, "savefig") and hasattr(fig, "figure"):
        fig = fig.figure
    if not hasattr(fig, "savefig"):
        raise OutboxError("save_figure needs a matplotlib Figure or Axes")
    buf = io.BytesIO()
    # No creation date or software version in the file: the same figure gives the same bytes.
    metadata = {"Date": None, "Creator": None} if format == "svg" else {"Software": None}
    fig.savefig(buf, format=format, dpi=dpi, bbox_inches="tight", metadata=metadata)
    paths = write_files({f"{name}.{format}": buf.getvalue(), f"{name}.description.txt": desc.encode("utf-8")})
    return paths[0]
