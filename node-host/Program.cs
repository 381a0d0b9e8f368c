using DistGrad.NodeHost;

// node-host --seed-nodes akka.tcp://distgrad@HOST:PORT[,...] [--hostname H] [--port P] [--devices cpu|auto]
NodeHostOptions options;
try
{
    options = NodeHostOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"node-host: {e.Message}");
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(NodeHostOptions.Help);
    return 0;
}

return await NodeHostRunner.RunAsync(options, Console.Out);
