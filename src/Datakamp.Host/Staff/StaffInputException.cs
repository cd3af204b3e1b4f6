namespace Datakamp.Host.Staff;

/// <summary>What a staff member typed cannot be used: which field, and why, in words for the form. Nothing was written.</summary>
public sealed class StaffInputException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
