using Datakamp.Docker.Tests;
using Datakamp.TestSupport;

[assembly: AssemblyFixture(typeof(DockerFixture))]
[assembly: AssemblyFixture(typeof(DockerDotNetFixture))]
