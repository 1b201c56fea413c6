using System.CommandLine;
using RbmSimd.Estimation;
using Spectre.Console;

namespace RbmSimd.Cli.Commands;

/// <summary>The annealed-importance-sampling options <c>logz</c> and <c>score</c> share, and the progress bar of a long estimate.</summary>
internal sealed class AnnealingOptions
{
    public Option<bool> Ais { get; } = new("--ais")
    {
        Description = "Estimate log Z by annealed importance sampling (Salakhutdinov and Murray 2008), with the interval log(Ẑ ± 3σ̂); " +
            "for any model size. AIS is biased low in log Z, so its log-likelihoods are optimistic.",
    };

    public Option<int> Runs { get; } = CliOption.Int("--runs", "AIS: independent annealing runs.", 100, 2, 1_000_000);

    public Option<int> Betas { get; } = CliOption.Int("--betas",
        "AIS: transitions of the schedule, shaped as Salakhutdinov and Murray's (1/29 of them on [0, 0.5], 8/29 on [0.5, 0.9], the rest on [0.9, 1]).",
        14_500, 3, 10_000_000);

    public IEnumerable<Option> All => [Ais, Runs, Betas];

    public void AddTo(Command command)
    {
        foreach (Option option in All) command.Options.Add(option);
    }

    public AnnealingSchedule Schedule(ParseResult parse) => AnnealingSchedule.SalakhutdinovMurray(parse.GetValue(Betas));

    /// <summary>Runs <paramref name="estimate"/> with a progress bar when stdout is a terminal (not in CI or a pipe).</summary>
    public static T WithProgress<T>(string what, Func<Action<double>, T> estimate)
    {
        if (Console.IsOutputRedirected || Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            return estimate(_ => { });
        T result = default!;
        AnsiConsole.Progress().AutoClear(true).HideCompleted(true).Start(context =>
        {
            ProgressTask task = context.AddTask(Markup.Escape(what), maxValue: 1);
            result = estimate(fraction => task.Value = fraction);
        });
        return result;
    }
}
