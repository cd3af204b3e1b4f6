namespace Datakamp.Domain.Datasets;

/// <summary>
/// Which day it is for grants. An end date is a day on the host's own calendar, as the staff who typed it mean it (a
/// grant "until 25 November" holds until midnight there), so every place that asks "in force today?" asks this.
/// </summary>
public static class GrantCalendar
{
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
}
