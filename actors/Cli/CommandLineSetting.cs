using System.CommandLine;

namespace DistGrad.Distributed.Cli;

/// <summary>
/// One option of a command and how its value changes the options record <typeparamref name="T"/>. Values are
/// read as text and converted here, so every mistake is one line naming the option and the value.
/// </summary>
internal sealed class CommandLineSetting<T>
{
    private readonly Func<T, ParseResult, T> _apply;

    private CommandLineSetting(Option option, Func<T, ParseResult, T> apply)
    {
        Option = option;
        _apply = apply;
    }

    public Option Option { get; }

    /// <summary>The option's name without dashes: its key in a --config file (distgrad.COMMAND.NAME) and in DISTGRAD_NAME.</summary>
    public string Key => Option.Name.TrimStart('-');

    public bool IsFlag => Option is Option<bool>;

    /// <summary>An option with a value (<c>--name VALUE</c>); given twice, the last one counts (a script can override what it was given).</summary>
    public static CommandLineSetting<T> Value(string name, string valueName, string description, Func<T, string, T> apply, params string[] aliases)
    {
        var option = new Option<string[]>(name, aliases)
        {
            Description = description,
            HelpName = valueName,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        return new(option, (o, result) => result.GetValue(option) is [.., var last] ? apply(o, last) : o);
    }

    /// <summary>A switch (<c>--name</c>; <c>--name false</c> from a --config file or the environment turns it off).</summary>
    public static CommandLineSetting<T> Flag(string name, string description, Func<T, T> apply)
    {
        var option = new Option<bool>(name) { Description = description };
        return new(option, (o, result) => result.GetValue(option) ? apply(o) : o);
    }

    public T Apply(T options, ParseResult result) => _apply(options, result);

    /// <summary>Whether the command line itself gave this option.</summary>
    public bool Given(ParseResult result) => result.GetResult(Option) is { Implicit: false };
}
