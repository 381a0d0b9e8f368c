using DistGrad.Distributed;

// coordinator train [options] | coordinator worker [options]: DistGrad's built-in jobs (docs/CLI.md).
return DistGradApp.Run(args, [.. BuiltInJobs.All]);
