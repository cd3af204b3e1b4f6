namespace Datakamp.Data.Releases;

/// <summary>A file already in the content store, to be recorded as part of a request.</summary>
public sealed record NewReleaseFile(string Name, string Sha256, long SizeBytes, string MediaType);

/// <summary>
/// A submission as the team made it. <paramref name="SubmissionKey"/> is the submit form's one-time key: the same key
/// twice is the same submission (see <see cref="ReleaseRepository.SubmitAsync"/>).
/// </summary>
public sealed record NewRelease(long TeamId, long SubmittedBy, string Actor, string Purpose, Guid SubmissionKey, IReadOnlyList<NewReleaseFile> Files);
