namespace Datakamp.Host.Demo;

/// <summary>Version 1 of the demo event's confidentiality declaration, published by the <see cref="DemoEventSeeder"/>.</summary>
public static class DemoDeclaration
{
    public const string Text = """
        The microdata of this event are confidential. I use them only for the purpose my team was granted them for, and only inside my team's sandbox.

        I will not try to identify any person, household or business in these data, and I will not link them to other data in order to do so.

        Nothing leaves the sandbox except outputs that the output checkers approved through a release request. I keep confidential anything I learn about individual persons, also after the event.

        I know that every access to the data, every sandbox start and every output is recorded.
        """;
}
