namespace Datakamp.Docker;

/// <summary>
/// A sandbox as the runtime runs it, reduced to what the host reads: whether it runs, how it ended (exit code,
/// out of memory), its labels (the fingerprint, the installation) and what is mounted (which datasets it sees).
/// Our own record, so the host does not depend on the shape of Docker's inspect answer.
/// </summary>
/// <param name="Id">The runtime's id of this instance; a replaced workload has a new id under the same name.</param>
/// <param name="Name">The name the spec gave it, without Docker's leading slash.</param>
/// <param name="Status">The runtime's word for its state, e.g. <c>created</c>, <c>running</c>, <c>exited</c>.</param>
/// <param name="Running">Whether its processes run.</param>
/// <param name="ExitCode">How its main process ended (meaningful only when it is not running).</param>
/// <param name="OomKilled">Whether it was killed for using more memory than its limit.</param>
/// <param name="Labels">Its labels.</param>
/// <param name="Mounts">What is mounted into it.</param>
public sealed record Workload(
    string Id,
    string Name,
    string Status,
    bool Running,
    long ExitCode,
    bool OomKilled,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<WorkloadMount> Mounts);
