namespace Datakamp.Disclosure.Rules;

/// <summary>
/// A rule that fired on a cell: the status it yields, a sentence a person can read, the numbers behind
/// it, and (for rules that have one) the protection a suppression pattern must give the cell, as an
/// amount in value units below and above the true value.
/// </summary>
public sealed record RuleFinding(
    string RuleId,
    CheckStatus Status,
    string Message,
    IReadOnlyDictionary<string, double> Numbers,
    double? ProtectionLower = null,
    double? ProtectionUpper = null);
