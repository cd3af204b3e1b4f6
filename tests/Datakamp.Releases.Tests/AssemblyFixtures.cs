using Datakamp.TestSupport;

[assembly: AssemblyFixture(typeof(PostgresFixture))]
