using System.Text.RegularExpressions;

namespace Datakamp.Docker;

/// <summary>
/// What may name a container, an image or a signal in a call to the engine. Checked before anything is sent: the names
/// end up in URL paths and queries, and one that could walk the path (e.g. "../images/x") must never leave this process.
/// </summary>
internal static partial class EngineReferences
{
    /// <summary>The container reference if it is an id or a name.</summary>
    public static string Container(string container)
    {
        if (string.IsNullOrEmpty(container) || container.Length > 255 || !ContainerName().IsMatch(container))
            throw new ArgumentException($"not a container id or name: '{container}'", nameof(container));
        return container;
    }

    /// <summary>The image reference if every one of its '/'-separated parts is a plain name, with an optional tag or digest.</summary>
    public static string Image(string image)
    {
        if (string.IsNullOrEmpty(image) || image.Length > 512 || !image.Split('/').All(ImageSegment().IsMatch))
            throw new ArgumentException($"not an image reference: '{image}'", nameof(image));
        return image;
    }

    /// <summary>The signal if it is a signal name (with or without SIG) or number.</summary>
    public static string Signal(string signal)
    {
        if (string.IsNullOrEmpty(signal) || !SignalName().IsMatch(signal))
            throw new ArgumentException($"not a signal name or number: '{signal}'", nameof(signal));
        return signal;
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex ContainerName();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.:@-]*$")]
    private static partial Regex ImageSegment();

    [GeneratedRegex("^(SIG[A-Z0-9+-]+|[A-Z0-9+-]+|[0-9]{1,2})$")]
    private static partial Regex SignalName();
}
