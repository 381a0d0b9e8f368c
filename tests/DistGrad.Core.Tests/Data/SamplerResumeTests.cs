using System.Text.Json;
using DistGrad.Data;

namespace DistGrad.Tests.Data;

/// <summary>
/// Saving a sampler's state mid-epoch and restoring it into a new loader gives exactly the batches an
/// uninterrupted run gives: the rest of that epoch, then the same later epochs.
/// </summary>
public class SamplerResumeTests
{
    private const int Samples = 23;
    private const int BatchSize = 4;

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 3)]
    [InlineData(1, 5)]
    [InlineData(2, 5)]
    public void ShuffledResumeMidEpochMatchesAnUninterruptedRun(int stopEpoch, int stopAfterBatches)
    {
        var expected = Uninterrupted(shuffle: true, dropLast: false, epochs: 4);

        var (seen, state) = RunUntil(Loader(shuffle: true, dropLast: false, seed: 9), stopEpoch, stopAfterBatches);
        var resumed = Loader(shuffle: true, dropLast: false, seed: 12345);
        resumed.Sampler.SetState(RoundTrip(state));
        seen.Add(Batches.Pass(resumed));
        while (seen.Count < 5)
        {
            seen.Add(Batches.Pass(resumed));
        }

        // The interrupted epoch is split in two lists; join it before comparing.
        var joined = seen.Take(stopEpoch).Append([.. seen[stopEpoch], .. seen[stopEpoch + 1]]).Concat(seen.Skip(stopEpoch + 2)).ToList();
        Assert.Equal(expected, joined);
    }

    [Fact]
    public void ResumeWithDropLastSkipsTheSameShortBatch()
    {
        var expected = Uninterrupted(shuffle: true, dropLast: true, epochs: 2);
        var (seen, state) = RunUntil(Loader(shuffle: true, dropLast: true, seed: 9), 0, 2);
        var resumed = Loader(shuffle: true, dropLast: true, seed: 0);
        resumed.Sampler.SetState(state);
        var rest = Batches.Pass(resumed);
        Assert.Equal(expected[0], [.. seen[0], .. rest]);
        Assert.Equal(expected[1], Batches.Pass(resumed));
    }

    [Fact]
    public void StateTakenAfterTheLastBatchResumesAtTheNextEpoch()
    {
        var expected = Uninterrupted(shuffle: true, dropLast: false, epochs: 3);
        var loader = Loader(shuffle: true, dropLast: false, seed: 9);
        SamplerState? state = null;
        foreach (var _ in loader)
        {
            state = loader.Sampler.GetState();
        }

        Assert.Equal(1, state!.Epoch);
        Assert.Equal(0, state.Position);
        Assert.Null(state.OrderGeneratorState);

        var resumed = Loader(shuffle: true, dropLast: false, seed: 77);
        resumed.Sampler.SetState(state);
        Assert.Equal(expected[1], Batches.Pass(resumed));
        Assert.Equal(expected[2], Batches.Pass(resumed));
    }

    [Fact]
    public void SequentialResumeContinuesWhereItStopped()
    {
        var (seen, state) = RunUntil(Loader(shuffle: false, dropLast: false, seed: 0), 0, 2);
        Assert.Equal(8, state.Position);
        var resumed = Loader(shuffle: false, dropLast: false, seed: 0);
        resumed.Sampler.SetState(state);
        Assert.Equal(Enumerable.Range(0, Samples).Select(i => (long)i), Batches.Flat([.. seen[0], .. Batches.Pass(resumed)]));
        Assert.Equal(6, Batches.Pass(resumed).Count);
    }

    [Fact]
    public void AnEarlyBreakStartsANewEpochAsPyTorchDoes()
    {
        var expected = Uninterrupted(shuffle: true, dropLast: false, epochs: 2);
        var loader = Loader(shuffle: true, dropLast: false, seed: 9);
        Assert.Equal(expected[0][0], Batches.Pass(loader.Take(1))[0]);

        // No SetState: the next pass is a whole new epoch, the one an uninterrupted run gets second.
        Assert.Equal(expected[1], Batches.Pass(loader));
        Assert.Equal(2, loader.Sampler.Epoch);
    }

    [Fact]
    public void RestoringAlsoRestoresTheGeneratorOthersDrawFrom()
    {
        // Something else (dropout, say) draws from the sampler's generator between batches.
        var expectedDraws = new List<double>();
        var uninterrupted = Loader(shuffle: true, dropLast: false, seed: 9);
        var generator = ((RandomSampler)uninterrupted.Sampler).Generator;
        for (var epoch = 0; epoch < 2; epoch++)
        {
            foreach (var _ in uninterrupted)
            {
                expectedDraws.Add(generator.NextDouble());
            }
        }

        var first = Loader(shuffle: true, dropLast: false, seed: 9);
        var firstGenerator = ((RandomSampler)first.Sampler).Generator;
        var draws = new List<double>();
        SamplerState? state = null;
        foreach (var _ in first)
        {
            draws.Add(firstGenerator.NextDouble());
            if (draws.Count == 3)
            {
                state = first.Sampler.GetState();
                break;
            }
        }

        var resumed = Loader(shuffle: true, dropLast: false, seed: 1);
        var resumedGenerator = ((RandomSampler)resumed.Sampler).Generator;
        resumed.Sampler.SetState(state!);
        for (var epoch = 0; epoch < 2; epoch++)
        {
            foreach (var _ in resumed)
            {
                draws.Add(resumedGenerator.NextDouble());
            }
        }

        Assert.Equal(expectedDraws, draws);
    }

    [Fact]
    public void StateIsPlainSerialisableData()
    {
        var loader = Loader(shuffle: true, dropLast: false, seed: 9);
        _ = loader.Take(2).ToList();
        var state = loader.Sampler.GetState();
        Assert.Equal("RandomSampler", state.Sampler);
        Assert.Equal(Samples, state.DatasetCount);
        Assert.Equal(0, state.Epoch);
        Assert.Equal(8, state.Position);
        Assert.Equal(49, state.GeneratorState!.Length);
        Assert.Equal(49, state.OrderGeneratorState!.Length);

        var copy = RoundTrip(state);
        Assert.Equal(state.GeneratorState, copy.GeneratorState);
        Assert.Equal(state.OrderGeneratorState, copy.OrderGeneratorState);
        Assert.Equal(state with { GeneratorState = null, OrderGeneratorState = null }, copy with { GeneratorState = null, OrderGeneratorState = null });
    }

    [Fact]
    public void MismatchedStatesAreRejected()
    {
        var random = Loader(shuffle: true, dropLast: false, seed: 9);
        _ = random.Take(1).ToList();
        var state = random.Sampler.GetState();

        var sequential = Loader(shuffle: false, dropLast: false, seed: 0);
        Assert.Contains("saved by a RandomSampler, not a SequentialSampler", Assert.Throws<ArgumentException>(() => sequential.Sampler.SetState(state)).Message);

        var bigger = new RandomSampler(Samples + 1, new Generator());
        Assert.Contains("dataset of 23 samples", Assert.Throws<ArgumentException>(() => bigger.SetState(state)).Message);

        var sampler = new RandomSampler(Samples, new Generator());
        Assert.Throws<ArgumentException>(() => sampler.SetState(state with { Position = Samples }));
        Assert.Throws<ArgumentException>(() => sampler.SetState(state with { Epoch = -1 }));
        Assert.Throws<ArgumentException>(() => sampler.SetState(state with { OrderGeneratorState = null }));
        Assert.Throws<ArgumentException>(() => sampler.SetState(state with { GeneratorState = null }));
    }

    [Fact]
    public void ChangingTheStateDuringAPassStopsThatPass()
    {
        var loader = Loader(shuffle: true, dropLast: false, seed: 9);
        var state = loader.Sampler.GetState();
        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var _ in loader)
            {
                loader.Sampler.SetState(state);
            }
        });
        Assert.Contains("while a pass was running", e.Message);
    }

    private static DataLoader Loader(bool shuffle, bool dropLast, long seed) =>
        new(Batches.Indexed(Samples), BatchSize, shuffle, dropLast, shuffle ? new Generator(seed) : null);

    private static List<List<long[]>> Uninterrupted(bool shuffle, bool dropLast, int epochs)
    {
        var loader = Loader(shuffle, dropLast, seed: 9);
        return Enumerable.Range(0, epochs).Select(_ => Batches.Pass(loader)).ToList();
    }

    /// <summary>Runs whole epochs, then part of one, saving the state while the last batch is in use.</summary>
    private static (List<List<long[]>> Seen, SamplerState State) RunUntil(DataLoader loader, int epoch, int batches)
    {
        var seen = new List<List<long[]>>();
        for (var e = 0; e < epoch; e++)
        {
            seen.Add(Batches.Pass(loader));
        }

        var partial = new List<long[]>();
        SamplerState? state = null;
        foreach (var (_, y) in loader)
        {
            partial.Add(y.ToArray<long>());
            if (partial.Count == batches)
            {
                state = loader.Sampler.GetState();
                break;
            }
        }

        seen.Add(partial);
        return (seen, state!);
    }

    private static SamplerState RoundTrip(SamplerState state) =>
        JsonSerializer.Deserialize<SamplerState>(JsonSerializer.Serialize(state))!;
}
