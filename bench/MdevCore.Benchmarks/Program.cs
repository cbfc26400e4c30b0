using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using MdevCore.Benchmarks;
using Perfolizer.Horology;

// Usage:
//   dotnet run -c Release --project bench/MdevCore.Benchmarks -- memory [N]
//   dotnet run -c Release --project bench/MdevCore.Benchmarks -- populate
//   dotnet run -c Release --project bench/MdevCore.Benchmarks -- ratios      (targets 1-3 as paired, interleaved ratios)
//   dotnet run -c Release --project bench/MdevCore.Benchmarks -- hosts [--counts 1,1000,10000]   (many hosts per process)
//   dotnet run -c Release --project bench/MdevCore.Benchmarks -- stress [--ops N] [--threads T] [--fuzz N]   (reliability figures)
//   dotnet run -c Release --project bench/MdevCore.Benchmarks -- --quick --filter '*'   (BenchmarkDotNet; --quick = in-process, short)
if (args.Length > 0 && args[0] == "memory")
{
    return MemoryCommand.Memory(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000);
}

if (args.Length > 0 && args[0] == "ratios")
{
    return RatiosCommand.Run();
}

if (args.Length > 0 && args[0] == "hosts")
{
    return HostsCommand.Run(args);
}

if (args.Length > 0 && args[0] == "stress")
{
    return StressCommand.Run(args);
}

if (args.Length > 0 && args[0] == "populate")
{
    return MemoryCommand.Populate([100_000, 200_000, 400_000, 1_000_000]);
}

IConfig? config = null;
if (args.Contains("--quick"))
{
    args = [.. args.Where(a => a != "--quick")];
    config = DefaultConfig.Instance
        .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
            .WithIterationTime(TimeInterval.FromMilliseconds(150))
            .WithWarmupCount(3).WithIterationCount(8).WithLaunchCount(1).WithId("Quick"))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);
}

_ = BenchmarkSwitcher.FromAssembly(typeof(CreateRemoveBenchmarks).Assembly).Run(args, config);
return 0;
