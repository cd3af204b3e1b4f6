using Datakamp.Disclosure.Policies;

namespace Datakamp.Disclosure.Rules;

/// <summary>The rules a policy switches on, in the order their findings are reported.</summary>
public static class RuleSet
{
    /// <summary>Builds the rules of <paramref name="policy"/>; <see cref="EvaluableRule"/>, <see cref="ThresholdRule"/> and <see cref="StdReversalRule"/> are always included.</summary>
    public static IReadOnlyList<IDisclosureRule> For(Policy policy)
    {
        var rules = new List<IDisclosureRule> { new EvaluableRule(), new StatisticAllowedRule(policy.Statistics), new ThresholdRule(policy.Threshold, policy.Suppression) };
        if (policy.Dominance is { } d) rules.Add(new DominanceRule(d));
        if (policy.PPercent is { } p) rules.Add(new PPercentRule(p));
        if (policy.ZeroCells is { } z) rules.Add(new ZeroCellRule(z));
        if (policy.GroupDisclosure is { } g) rules.Add(new GroupDisclosureRule(g));
        if (policy.Negatives is { } n) rules.Add(new NegativeValuesRule(n));
        if (policy.MissingValues is { } m) rules.Add(new MissingValuesRule(m));
        if (policy.Percentiles is { } q) rules.Add(new PercentileRule(q));
        if (policy.Std is { } s) rules.Add(new StdDegreesOfFreedomRule(s));
        rules.Add(new StdReversalRule(policy.StdReversal));   // always: a policy cannot forget it (see Policy.StdReversal)
        return rules;
    }
}
