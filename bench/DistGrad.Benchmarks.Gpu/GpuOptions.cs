using System.Globalization;

namespace DistGrad.Benchmarks.Gpu;

/// <summary>The gpu command's options.</summary>
internal sealed record GpuOptions(Device? Device, string? DataDirectory, int? GemmSize, bool ChecksOnly, bool SkipCpuEpoch)
{
    public static GpuOptions Parse(string[] args)
    {
        var options = new GpuOptions(null, null, null, false, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--device" => options with { Device = Devices.Parse(Value()) },
                "--data" => options with { DataDirectory = Value() },
                "--gemm" => options with { GemmSize = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--checks-only" => options with { ChecksOnly = true },
                "--skip-cpu-epoch" => options with { SkipCpuEpoch = true },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }

        return options;
    }
}
