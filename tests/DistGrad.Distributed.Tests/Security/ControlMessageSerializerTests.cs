using Akka.Actor;
using Akka.Serialization;
using DistGrad.Distributed.Checkpoints;
using DistGrad.Distributed.Config;
using DistGrad.Distributed.Messages;
using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Tests.Security;

/// <summary>
/// The control-message serializer the cluster configuration binds: DistGrad's messages, as the code builds them, make
/// the round trip; bytes that name any other type are refused before an instance of it exists.
/// </summary>
[Trait("Category", "Security")]
public sealed class ControlMessageSerializerTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create(
        "serializer", Akka.Configuration.ConfigurationFactory.ParseString("akka.actor.provider = local").WithFallback(ClusterConfig.Base));

    public void Dispose() => _system.Dispose();

    public static TheoryData<IControlMessage> Messages()
    {
        var spec = new JobSpec { DataParallel = 3, PipelineStages = 2, MicroBatches = 4, Steps = 10 };
        var timeline = new List<TimelineEvent> { new(1, 0, 1, 7, "F3", "forward", 1.7e15, 12.5) };
        return new TheoryData<IControlMessage>
        {
            new QueryCapacity("job-1"),
            new HostCapacity("job-1", 2, "cpu"),
            new WorkerStarted("job-1", 1, "10.0.0.2", 29500, JobFingerprint.Of(BuiltInJobs.Mlp, spec, 1)),
            new WorkerRefused("job-1", 1, "node-a", "no such job 'x'"),
            new ConnectPeers("job-1", ["10.0.0.1", "10.0.0.2"], [29500, 29501], PipelineSchedules.GPipe(2, 4), "/runs/a", 40),
            new ConnectPeers("job-1", ["10.0.0.1"], [29500], PipelineSchedules.OneFOneB(2, 4)),
            new PeersConnected("job-1", 0, 1000),
            new RunStep("job-1", 7, Checkpoint: true),
            new StepDone("job-1", 1, 7, double.NaN, 64, 0.5, 0.01, 4096, 3.5, 1, 1 << 20, timeline, new ShardInfo(1, "shard-1.bin", "abc", 512)),
            new StepDone("job-1", 0, 7, 0.25, 64, 0.5, 0.01, 4096, 3.5, 0, 0, []),
            new FinishJob("job-1", "/runs/a/final.bin"),
            new JobFinished("job-1", 0, 0.7),
            new WorkerFailed("job-1", 0, "step", "out of memory"),
            new Rejected("job-1", 0, "step 3 expected"),
            new StopJob("job-1"),
            new JobEnded(true, null, 10),
        };
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void A_control_message_makes_the_round_trip_through_the_bound_serializer(IControlMessage message)
    {
        var serializer = _system.Serialization.FindSerializerFor(message);
        Assert.IsType<ControlMessageSerializer>(serializer);

        var back = serializer.FromBinary(serializer.ToBinary(message), message.GetType());

        Assert.Equal(Describe(message), Describe(back));
    }

    [Fact]
    public void StartWorker_keeps_its_spec_and_the_coordinators_reference()
    {
        var coordinator = _system.ActorOf(Props.Empty, "coordinator");
        var message = new StartWorker("job-1", 2, new JobSpec { DataParallel = 3, Seed = 9 }, coordinator);
        var serializer = _system.Serialization.FindSerializerFor(message);

        var back = (StartWorker)serializer.FromBinary(serializer.ToBinary(message), typeof(StartWorker));

        Assert.Equal(message.Spec, back.Spec);
        Assert.Equal(coordinator.Path, back.Coordinator.Path);
    }

    [Fact]
    public void Bytes_that_name_a_type_outside_DistGrads_messages_are_refused()
    {
        // What a peer would send to have a gadget built: a type of its choosing inside the bytes.
        var unrestricted = new HyperionSerializer((ExtendedActorSystem)_system);
        var forged = unrestricted.ToBinary(new Gadget { Command = "rm -rf /" });
        var serializer = _system.Serialization.FindSerializerFor(new StopJob("job-1"));

        var refused = Assert.ThrowsAny<Exception>(() => serializer.FromBinary(forged, typeof(object)));

        Assert.Contains(typeof(Gadget).FullName!, AllMessages(refused), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("System.Diagnostics.Process, System.Diagnostics.Process")]
    [InlineData("System.IO.FileInfo, System.Private.CoreLib")]
    [InlineData("System.Collections.Generic.List`1[[System.IO.FileInfo, System.Private.CoreLib]], System.Private.CoreLib")]
    [InlineData("DistGrad.Distributed.Running.TrainCommand, DistGrad.Distributed")]
    [InlineData("<>z__ReadOnlyArray`1[[System.IO.FileInfo, System.Private.CoreLib]], DistGrad.Distributed")]
    [InlineData("<>z__ReadOnlyArray`1, SomeoneElses.Assembly")]
    [InlineData("not a type name")]
    public void The_filter_refuses_types_no_control_message_holds(string typeName) =>
        Assert.False(ControlMessageTypes.Instance.IsAllowed(typeName));

    [Theory]
    [InlineData("DistGrad.Distributed.Messages.StopJob, DistGrad.Distributed, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null")]
    [InlineData("System.Collections.Generic.List`1[[System.String,%core%]],%core%")]
    [InlineData("DistGrad.Distributed.Pipeline.TimelineEvent[], DistGrad.Distributed")]
    [InlineData("System.TimeSpan, System.Private.CoreLib,%core%")]
    [InlineData("<>z__ReadOnlyArray`1[[System.String, System.Private.CoreLib,%core%]], DistGrad.Distributed")]
    public void The_filter_allows_the_spellings_Hyperion_uses_for_allowed_types(string typeName) =>
        Assert.True(ControlMessageTypes.Instance.IsAllowed(typeName));

    // Records with lists compare by reference; their printed forms name every value.
    private static string Describe(object message) => message switch
    {
        ConnectPeers c => $"{c with { Hosts = [], Ports = [], Schedule = null! }} {string.Join(",", c.Hosts)} {string.Join(",", c.Ports)} {Describe(c.Schedule)}",
        StepDone s => $"{s with { Timeline = [] }} {string.Join(",", s.Timeline)}",
        WorkerStarted w => $"{w with { Fingerprint = null! }} {w.Fingerprint.Job} {w.Fingerprint.Assembly} {string.Join(",", w.Fingerprint.Parameters)} {string.Join(",", w.Fingerprint.Gradients)}",
        PipelineSchedule p => $"{p.Name} {p.Stages} {p.MicroBatches} {string.Join("|", p.Actions.Select(a => string.Join(",", a)))}",
        _ => message.ToString()!,
    };

    private static string AllMessages(Exception e) => e.InnerException == null ? e.Message : e.Message + " / " + AllMessages(e.InnerException);

    public sealed class Gadget
    {
        public string Command { get; set; } = string.Empty;
    }
}
