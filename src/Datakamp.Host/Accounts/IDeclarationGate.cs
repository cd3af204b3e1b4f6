using System.Security.Claims;
using Datakamp.Domain.Events;

namespace Datakamp.Host.Accounts;

/// <summary>
/// Whether the signed-in person must accept a confidentiality declaration before using their team's sandbox or IDE.
/// An interface so that the IDE proxy can be tested on its own, without a database (<see cref="DeclarationGate"/> is the real one).
/// </summary>
public interface IDeclarationGate
{
    /// <summary>The version the person must accept first, or null when nothing is due.</summary>
    Task<Declaration?> DueAsync(ClaimsPrincipal user, CancellationToken cancellationToken);
}
