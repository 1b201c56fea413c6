using System.Text.RegularExpressions;
using RbmSimd.Cli.Terminal;
using RbmSimd.Training;

namespace RbmSimd.Cli;

/// <summary>A user mistake whose message is already written in the CLI's terms (options, ranges, files).</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Turns user mistakes into one line on stderr and exit code 2; anything else is a bug and keeps its stack trace.</summary>
internal static partial class CliErrors
{
    /// <summary>The exit code of every user error: bad options, missing or unreadable files, data the model cannot use.</summary>
    public const int UserError = 2;

    /// <summary>
    /// Names the library uses for what the CLI calls options (TrainingOptions' properties, parameter names), so that
    /// a message from a library check reads in the CLI's terms.
    /// </summary>
    private static readonly Dictionary<string, string> OptionNames = new(StringComparer.Ordinal)
    {
        ["Epochs"] = "--epochs",
        ["BatchSize"] = "--batch-size",
        ["LearningRate"] = "--learning-rate",
        ["CdSteps"] = "--k",
        ["PersistentChains"] = "--chains",
        ["InitialMomentum"] = "--momentum",
        ["FinalMomentum"] = "--final-momentum",
        ["MomentumSwitchEpoch"] = "--momentum-switch",
        ["WeightDecay"] = "--weight-decay",
        ["SparsityTarget"] = "--sparsity-target",
        ["SparsityCost"] = "--sparsity-cost",
        ["MaxDegreeOfParallelism"] = "--threads",
        ["maxDegreeOfParallelism"] = "--threads",
        ["ExactLogLikelihoodMaxUnits"] = "--exact-ll-max-units",
        ["stateLimit"] = "--max-states",
    };

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            return Report(UserMessage(ex));
        }
        catch (Exception ex) when (IsMissingNativeLibrary(ex))
        {
            return Report(MissingNativeLibrary);
        }
    }

    /// <summary>What rbm says where SkiaSharp's native library is missing (the tool package ships linux-x64's only).</summary>
    public const string MissingNativeLibrary =
        "drawing the PNG pictures needs SkiaSharp's native library, which the rbm tool package ships for linux-x64 only; " +
        "on this platform run rbm from source: dotnet run --project src/RbmSimd.Cli -c Release -- ...";

    /// <summary>A native library that failed to load, directly or inside a type initialiser (SkiaSharp's static constructors).</summary>
    internal static bool IsMissingNativeLibrary(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is DllNotFoundException) return true;
        return false;
    }

    /// <summary>Prints <paramref name="message"/> as the one error line (escaped) and returns <see cref="UserError"/>.</summary>
    public static int Report(string message)
    {
        Console.Error.WriteLine($"rbm: error: {Display.Escape(OneLine(message))}");
        return UserError;
    }

    /// <summary>
    /// The message of a user error in the CLI's terms: without .NET's "(Parameter 'x')" and "Actual value was" additions,
    /// with library names replaced by the options that set them.
    /// </summary>
    public static string UserMessage(Exception ex)
    {
        string message = ex.Message;
        if (ex is ArgumentException { ParamName: { Length: > 0 } name })
            message = message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
        message = string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("Actual value was", StringComparison.Ordinal)));
        return LibraryName().Replace(message, m => OptionNames.TryGetValue(m.Value, out string? option) ? option : m.Value);
    }

    /// <summary>Joins the lines of a message into one.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static bool IsUserError(Exception ex) => ex is
        UsageException or ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
        or UnauthorizedAccessException or IOException or TrainingDivergedException or FormatException;

    [GeneratedRegex(@"\b[A-Za-z]+\b")]
    private static partial Regex LibraryName();
}
