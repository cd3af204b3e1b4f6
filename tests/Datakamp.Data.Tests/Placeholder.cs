namespace Datakamp.Data.Tests;
