"""Datakamp helper for the analysis sandbox: put tables and figures in the outbox for release.

    import datakamp
    t = datakamp.crosstab(df, dataset="persons", unit="person_id", rows="district", cols="age_band",
                          values="income", aggfunc="sum", filter='benefit == "yes"', margins=True,
                          name="income_by_district", description="Total income of benefit recipients")
    datakamp.save_figure(fig, "income_plot", "Income by district, benefit recipients")

crosstab computes the table exactly as the host's disclosure checker will recompute it from the
microdata (statistics over units), writes <name>.csv (long form), <name>.spec.yaml and
<name>.description.txt to the outbox ($DATAKAMP_OUTBOX, default /outbox), and returns the table.
Nothing is sent anywhere: the files wait in the outbox until the team submits them for checking.
"""

from ._figures import save_figure
from ._filter import FilterError
from ._outbox import OutboxError, outbox_path
from ._tables import TableError, crosstab

__version__ = "1.0"
__all__ = ["crosstab", "save_figure", "outbox_path", "TableError", "FilterError", "OutboxError"]
