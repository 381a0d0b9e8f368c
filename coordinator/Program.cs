using DistGrad.Distributed.Cli;
using DistGrad.Distributed.Running;

// coordinator train [options]: see ../shared/docs/CLI.md and `coordinator train --help`.
if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
{
    Console.WriteLine(HelpText.Top);
    return args.Length == 0 ? 2 : 0;
}

if (args[0] != "train")
{
    Console.Error.WriteLine($"coordinator: unknown command '{args[0]}' (the command is 'train'; see --help)");
    return 2;
}

if (args.Skip(1).Any(a => a is "--help" or "-h"))
{
    Console.WriteLine(HelpText.Train);
    return 0;
}

TrainOptions options;
try
{
    options = TrainOptionsParser.Parse(args[1..]);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"coordinator train: {e.Message}");
    return 2;
}

var outcome = await TrainCommand.RunAsync(options, Console.Out, interactive: !Console.IsOutputRedirected);
if (!outcome.Succeeded)
{
    Console.Error.WriteLine($"coordinator train: job failed: {outcome.Error}");
    return 1;
}

return 0;
