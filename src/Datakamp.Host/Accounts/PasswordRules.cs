namespace Datakamp.Host.Accounts;

/// <summary>What a password must be: long enough to resist guessing (NIST 800-63B: length over composition rules), and not the username.</summary>
public static class PasswordRules
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 256;

    public static string? Problem(string username, string? password) => password switch
    {
        null or "" => "Choose a password.",
        { Length: < MinimumLength } => $"Use at least {MinimumLength} characters.",
        { Length: > MaximumLength } => $"Use at most {MaximumLength} characters.",
        _ when password.Contains(username, StringComparison.OrdinalIgnoreCase) => "The password must not contain your username.",
        _ => null,
    };
}
