using RbmSimd.Training;

namespace RbmSimd.Cli;

/// <summary>Turns user mistakes into one line on stderr and exit code 2; anything else is a bug and keeps its stack trace.</summary>
internal static class CliErrors
{
    public const int UserError = 2;

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            Console.Error.WriteLine($"rbm: error: {OneLine(ex.Message)}");
            return UserError;
        }
    }

    /// <summary>ArgumentOutOfRangeException appends "Actual value was …" on a second line: keep the error to one.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static bool IsUserError(Exception ex) => ex is
        ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
        or UnauthorizedAccessException or IOException or TrainingDivergedException or FormatException;
}
