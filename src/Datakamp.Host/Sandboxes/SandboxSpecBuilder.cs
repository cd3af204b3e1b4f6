using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Datakamp.Docker;
using Datakamp.Host.Ide;

namespace Datakamp.Host.Sandboxes;

/// <summary>
/// Turns a <see cref="SandboxPlan"/> into the container the engine creates. Every isolation property
/// of a sandbox is decided here, in one place, and asserted by tests against this output and against
/// the real engine's inspect:
/// <list type="bullet">
/// <item>no network at all (<c>NetworkMode: none</c>: only <c>lo</c>, no routes); the IDE is reached over a unix socket;</item>
/// <item>read-only root filesystem with a size-limited tmpfs /tmp; <c>CapDrop: ALL</c>; <c>no-new-privileges</c>;
///   a non-root user that maps to no host account; an init process;</item>
/// <item>memory (= memory + swap, so no swap), CPU and process limits;</item>
/// <item>granted datasets read-only under /data, non-recursive binds; the team's own /workspace and /outbox;</item>
/// <item>labels naming the event and team, and a hash of this spec, so a changed plan gets a new container.</item>
/// </list>
/// </summary>
public static class SandboxSpecBuilder
{
    /// <summary>Which Datakamp installation (database) owns the container: hosts sharing an engine never touch each other's.</summary>
    public const string InstallationLabel = "datakamp.installation";
    public const string EventLabel = "datakamp.event";
    public const string TeamLabel = "datakamp.team";
    public const string SpecLabel = "datakamp.spec";
    public const string JupyterSocketFolder = "/run/jupyter";

    public static ContainerSpec Build(SandboxPlan plan)
    {
        var mounts = new List<Mount>
        {
            Bind(plan.Folders.Workspace, "/workspace", readOnly: false),
            Bind(plan.Folders.Outbox, "/outbox", readOnly: false),
            Bind(plan.Folders.JupyterSocketFolder, JupyterSocketFolder, readOnly: false),
        };
        mounts.AddRange(plan.Data.Select(file => Bind(file.HostPath, file.ContainerPath, readOnly: true)));

        var spec = new ContainerSpec
        {
            Name = plan.ContainerName,
            Image = plan.Image,
            Cmd = ["/usr/local/bin/datakamp-notebook", $"--NotebookApp.base_url={IdeRoutes.BasePathFor(plan.EventSlug, plan.TeamSlug)}"],
            Env = [$"JUPYTER_TOKEN={plan.IdeToken}", "DATAKAMP_OUTBOX=/outbox"],
            User = $"{plan.Uid}:{plan.Gid}",
            WorkingDir = "/workspace",
            HostConfig = new HostConfig
            {
                NetworkMode = "none",
                Mounts = mounts,
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = $"rw,nosuid,nodev,size={plan.Limits.TmpBytes},mode=1777" },
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges:true"],
                PidsLimit = plan.Limits.Pids,
                Memory = plan.Limits.MemoryBytes,
                MemorySwap = plan.Limits.MemoryBytes,
                NanoCpus = (long)Math.Round(plan.Limits.Cpus * 1_000_000_000),
                Init = true,
                IpcMode = "private",
                Ulimits = [new Ulimit("nofile", 4096, 4096)],
                LogConfig = new LogConfig("json-file", new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "3" }),
                // The reconciler, not the engine, decides what runs: it restarts what should run after any restart.
                RestartPolicy = new RestartPolicy("no"),
            },
        };
        return spec with
        {
            Labels = new Dictionary<string, string>
            {
                [InstallationLabel] = plan.Installation,
                [EventLabel] = plan.EventSlug,
                [TeamLabel] = plan.TeamSlug,
                [SpecLabel] = Fingerprint(spec, plan.Generation),
            },
        };
    }

    private static Mount Bind(string source, string target, bool readOnly) => new()
    {
        Type = "bind",
        Source = source,
        Target = target,
        ReadOnly = readOnly,
        // Read-only binds are not recursive on engine 20.10: never bind submounts at all.
        BindOptions = new BindOptions { NonRecursive = true },
    };

    /// <summary>A short hash of the spec (with the token left out) and the generation: equal means "this container is current".</summary>
    private static string Fingerprint(ContainerSpec spec, int generation)
    {
        var withoutSecret = spec with { Env = spec.Env?.Where(e => !e.StartsWith("JUPYTER_TOKEN=", StringComparison.Ordinal)).ToList() };
        var json = ContainerSpecJson.Serialize(withoutSecret) + generation.ToString(CultureInfo.InvariantCulture);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16].ToLowerInvariant();
    }
}
