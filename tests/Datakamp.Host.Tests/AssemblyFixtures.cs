using Datakamp.Host.Tests.Browser;
using Datakamp.TestSupport;

[assembly: AssemblyFixture(typeof(PostgresFixture))]
[assembly: AssemblyFixture(typeof(DockerFixture))]
[assembly: AssemblyFixture(typeof(BrowserFixture))]
