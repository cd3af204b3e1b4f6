namespace Datakamp.Disclosure.Tests;
