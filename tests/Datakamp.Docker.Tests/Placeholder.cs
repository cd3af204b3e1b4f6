namespace Datakamp.Docker.Tests;
