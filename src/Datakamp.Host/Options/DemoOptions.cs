namespace Datakamp.Host.Options;

/// <summary>The seeded demo event (section <c>Demo</c>).</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Create the demo event, its two teams and synthetic persons microdata when they do not exist yet.</summary>
    public bool Seed { get; set; }

    /// <summary>Number of synthetic persons in the demo microdata.</summary>
    public int Persons { get; set; } = 20_000;
}
