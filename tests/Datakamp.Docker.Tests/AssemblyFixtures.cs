using Datakamp.TestSupport;

[assembly: AssemblyFixture(typeof(DockerFixture))]
