namespace DistGrad.Distributed.Cli;

/// <summary>A mistake on the command line: printed as one line on stderr, exit code 2, no stack trace.</summary>
public sealed class UsageException(string message) : Exception(message);
