namespace Datakamp.TestSupport;
