namespace Datakamp.Domain.Tests;
