using Datakamp.Disclosure.Rules;
using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.PrimarySuppression;

/// <summary>
/// A cell after the rules: its findings, its status (worst finding, Pass without findings), and, when it
/// fails, primary suppression with the protection a secondary-suppression pattern must achieve: an
/// attacker's interval for the true value must reach at least <see cref="ProtectionLower"/> below and
/// <see cref="ProtectionUpper"/> above it. <see cref="AttackerLowerBound"/>/<see cref="AttackerUpperBound"/>
/// are what an attacker knows a priori (0 from below for tables without negative values; null = unbounded).
/// Review cells are not suppressed: a person decides.
/// </summary>
public sealed record CellAssessment(
    TableCell Cell,
    IReadOnlyList<RuleFinding> Findings,
    CheckStatus Status,
    bool PrimarySuppressed,
    double? ProtectionLower,
    double? ProtectionUpper,
    double? AttackerLowerBound,
    double? AttackerUpperBound);
