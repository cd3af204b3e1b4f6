namespace Datakamp.Docker.Tests;

/// <summary>
/// The sandbox manager labels every container with a hash of <see cref="ContainerSpecJson"/>: if the text of an unchanged
/// spec changed between releases, every running sandbox would look out of date and be replaced at the upgrade. The text
/// below is what the spec serialised to before and after the move to Docker.DotNet (Engine API names, nulls left out).
/// </summary>
public sealed class ContainerSpecJsonTests
{
    [Fact]
    public void A_spec_serialises_to_the_same_text_as_before_so_running_sandboxes_keep_their_fingerprint()
    {
        var spec = new ContainerSpec
        {
            Name = "datakamp-x-event-team",
            Image = "datakamp/python:bookworm",
            Cmd = ["start"],
            Env = ["A=1"],
            Labels = new Dictionary<string, string> { ["datakamp.team"] = "team" },
            User = "47001:47001",
            HostConfig = new HostConfig
            {
                NetworkMode = "none",
                Mounts = [new Mount { Type = "bind", Source = "/s", Target = "/data", ReadOnly = true, BindOptions = new BindOptions { NonRecursive = true } }],
                ReadonlyRootfs = true,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges:true"],
                PidsLimit = 256,
                Memory = 1024,
                MemorySwap = 1024,
                Init = true,
            },
        };

        Assert.Equal(
            """{"Image":"datakamp/python:bookworm","Cmd":["start"],"Env":["A=1"],"Labels":{"datakamp.team":"team"},"User":"47001:47001","HostConfig":{"NetworkMode":"none","Mounts":[{"Type":"bind","Source":"/s","Target":"/data","ReadOnly":true,"BindOptions":{"NonRecursive":true}}],"ReadonlyRootfs":true,"CapDrop":["ALL"],"SecurityOpt":["no-new-privileges:true"],"PidsLimit":256,"Memory":1024,"MemorySwap":1024,"Init":true}}""",
            ContainerSpecJson.Serialize(spec));
    }
}
