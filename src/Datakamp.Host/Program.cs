// The `datakamp` executable: `datakamp serve` runs the host; other verbs are tools for staff.
return await Datakamp.Host.Cli.DatakampCommandLine.RunAsync(args);

/// <summary>Declared so that integration tests can start the host with WebApplicationFactory&lt;Program&gt;.</summary>
public partial class Program;
