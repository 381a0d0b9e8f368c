using DistGrad.Distributed;

// node-host --seed-nodes akka.tcp://distgrad@HOST:PORT[,...] [--job-assembly PATH --job NAME] ...: the worker
// command of the built-in jobs plus any loaded from --job-assembly (docs/CLI.md).
return DistGradApp.Run(["worker", .. args], [.. BuiltInJobs.All]);
