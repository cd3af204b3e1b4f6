namespace Datakamp.Host.Tests;
