using System.CommandLine;
using System.Globalization;
using RbmSimd.Cli.Training;

namespace RbmSimd.Cli.Commands;

/// <summary>
/// The options of <c>--model convolutional</c>: <c>--filters</c>, <c>--filter-size</c>, <c>--pool</c> and <c>--channels</c>. For
/// <c>rbm train</c> each is one number; for <c>rbm stack</c> the first three list one number per layer (data side first).
/// </summary>
internal sealed class ConvolutionOptionSet
{
    /// <summary>The defaults: 24 filters of 5 × 5 with 2 × 2 pooling on single-channel images.</summary>
    public const int DefaultFilters = 24, DefaultFilterSize = 5, DefaultPool = 2;

    /// <summary>The most filters, the largest filter side and pool size the CLI takes.</summary>
    public const int MaxFilters = 4096, MaxFilterSize = 1024, MaxPool = 64, MaxChannels = 4096;

    private readonly bool _stack;

    public ConvolutionOptionSet(bool stack)
    {
        _stack = stack;
        const string Applies = " With --model convolutional only.";
        if (stack)
        {
            Filters = CliOption.IntList("--filters", "Filters (detection maps) of each convolutional layer, data side first; each layer's pooled maps are the next layer's channels." + Applies,
                $"{DefaultFilters},{DefaultFilters}", 1, MaxFilters, StackCommand.MaxLayers);
            FilterSize = CliOption.IntList("--filter-size", "The side F of each layer's square filters (one value: the same for every layer)." + Applies,
                $"{DefaultFilterSize}", 1, MaxFilterSize, StackCommand.MaxLayers);
            Pool = CliOption.IntList("--pool", "The side of each layer's probabilistic max-pooling blocks; it must divide the layer's detection maps (1: no pooling; one value: the same for every layer)." + Applies,
                $"{DefaultPool}", 1, MaxPool, StackCommand.MaxLayers);
        }
        else
        {
            FilterCount = CliOption.OptionalInt("--filters", $"Filters K: detection maps of the convolutional model (default {DefaultFilters})." + Applies, 1, MaxFilters);
            Size = CliOption.OptionalInt("--filter-size", $"The side F of each square filter; the maps are (H − F + 1) × (W − F + 1) (default {DefaultFilterSize})." + Applies, 1, MaxFilterSize);
            PoolSize = CliOption.OptionalInt("--pool", $"The side C of the probabilistic max-pooling blocks, at most one unit on in each; it must divide the maps' sides (1: no pooling; default {DefaultPool})." + Applies, 1, MaxPool);
        }
        Channels = CliOption.OptionalInt("--channels",
            "Channels of the data's images: each row holds C planes of H × W (from the data set, else square), channel by channel (default 1)." + Applies, 1, MaxChannels);
    }

    public Option<int[]?>? Filters { get; }
    public Option<int[]?>? FilterSize { get; }
    public Option<int[]?>? Pool { get; }
    public Option<int?>? FilterCount { get; }
    public Option<int?>? Size { get; }
    public Option<int?>? PoolSize { get; }
    public Option<int?> Channels { get; }

    /// <summary>Every option of the set.</summary>
    public IEnumerable<Option> All => _stack ? [Filters!, FilterSize!, Pool!, Channels] : [FilterCount!, Size!, PoolSize!, Channels];

    public void AddTo(Command command)
    {
        foreach (Option option in All) command.Options.Add(option);
    }

    /// <summary>Refuses the options when the model is not convolutional.</summary>
    public void RefuseUnlessConvolutional(ParseResult parse, bool convolutional)
    {
        if (convolutional) return;
        foreach (Option option in All)
            if (parse.GetResult(option) is { Implicit: false })
                throw new UsageException($"{option.Name} applies to --model convolutional only.");
    }

    /// <summary>The layers <c>rbm stack --model convolutional</c> trains (one value of --filter-size or --pool applies to every layer).</summary>
    public IReadOnlyList<ConvolutionChoice> Layers(ParseResult parse)
    {
        if (!_stack) return [Single(parse)];
        int[] filters = parse.GetValue(Filters!) is { Length: > 0 } f ? f : [DefaultFilters, DefaultFilters];
        int[] sizes = parse.GetValue(FilterSize!) is { Length: > 0 } s ? s : [DefaultFilterSize];
        int[] pools = parse.GetValue(Pool!) is { Length: > 0 } p ? p : [DefaultPool];
        int channels = parse.GetValue(Channels) ?? 1;
        if (sizes.Length != 1 && sizes.Length != filters.Length)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--filter-size lists {sizes.Length} values but --filters lists {filters.Length} layers: give one value, or one per layer."));
        if (pools.Length != 1 && pools.Length != filters.Length)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--pool lists {pools.Length} values but --filters lists {filters.Length} layers: give one value, or one per layer."));
        return filters.Select((k, l) => new ConvolutionChoice(k, sizes[sizes.Length == 1 ? 0 : l], pools[pools.Length == 1 ? 0 : l], l == 0 ? channels : filters[l - 1])).ToArray();
    }

    /// <summary>The model <c>rbm train --model convolutional</c> makes.</summary>
    public ConvolutionChoice Single(ParseResult parse) => new(parse.GetValue(FilterCount!) ?? DefaultFilters, parse.GetValue(Size!) ?? DefaultFilterSize,
        parse.GetValue(PoolSize!) ?? DefaultPool, parse.GetValue(Channels) ?? 1);
}
