using System.Globalization;
using RbmSimd.Training;

namespace RbmSimd.Cli.Training;

/// <summary>What <c>rbm train</c> does when training looks divergent: stop (keeping the best model) or carry on (saying so).</summary>
internal enum DivergenceAction
{
    Stop,
    Continue,
}

/// <summary>
/// Watches the epochs of a run: remembers the best one by the held-out log-likelihood (the training log-likelihood
/// without held-out rows; the reconstruction error without any log-likelihood), stops early when that has not improved
/// for a patience of epochs, and calls training divergent when it runs away from its best.
/// </summary>
/// <remarks>
/// Divergence: with a log-likelihood, three epochs in a row more than <c>max(2, 5% of |best|)</c> nats below the best;
/// without one, the reconstruction error rising five epochs in a row to at least 1.5 times its best. (Parameters that
/// become NaN or infinite stop training in the library already.)
/// </remarks>
internal sealed class TrainingWatch(int patience, DivergenceAction action)
{
    private const int DivergentEpochs = 3, RisingEpochs = 5;
    private int _below, _rising;
    private double _lastRecon = double.NaN;
    private bool _reconWarned;

    /// <summary>The epoch with the best score so far (0 before any).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>What the best epoch is best by, for messages.</summary>
    public string ScoreName { get; private set; } = "";

    private double _best = double.NegativeInfinity, _bestRecon = double.PositiveInfinity;

    /// <summary>Looks at an epoch's metrics: whether it is the best so far, and whether to stop (and why).</summary>
    public (bool Best, string? Stop, string? Warning) Observe(EpochMetrics m)
    {
        (double score, string name) = Score(m);
        ScoreName = name;
        bool best = score > _best;
        if (best)
        {
            _best = score;
            BestEpoch = m.Epoch;
        }
        _bestRecon = Math.Min(_bestRecon, m.ReconstructionError);
        _rising = m.ReconstructionError > _lastRecon ? _rising + 1 : 0;
        if (_rising == 0) _reconWarned = false;
        _lastRecon = m.ReconstructionError;

        string? divergence = null;
        if (name != "reconstruction error")
        {
            double margin = Math.Max(2, 0.05 * Math.Abs(_best));
            _below = score < _best - margin ? _below + 1 : 0;
            // Said once per run-away: when the count reaches the limit (a stop ends the run there; carrying on does not repeat it).
            if (_below == DivergentEpochs)
                divergence = string.Create(CultureInfo.InvariantCulture,
                    $"training looks divergent: the {name} has been more than {margin:0.##} nats below its best ({_best:F4} in epoch {BestEpoch}) for {_below} epochs (now {score:F4})");
        }
        else if (_rising >= RisingEpochs && m.ReconstructionError >= 1.5 * _bestRecon && !_reconWarned)
        {
            _reconWarned = true;
            divergence = string.Create(CultureInfo.InvariantCulture,
                $"training looks divergent: the reconstruction error has risen for {_rising} epochs to {m.ReconstructionError:F5}, 1.5 times its best ({_bestRecon:F5})");
        }
        if (divergence is not null)
            return action == DivergenceAction.Stop
                ? (best, divergence + "; stopped (--on-divergence continue carries on).", null)
                : (best, null, divergence + "; carrying on (--on-divergence continue).");
        if (patience > 0 && m.Epoch - BestEpoch >= patience)
            return (best, string.Create(CultureInfo.InvariantCulture,
                $"stopped early: the {name} has not improved for {m.Epoch - BestEpoch} epochs (best {_best:F4} in epoch {BestEpoch}; --early-stopping {patience})."), null);
        return (best, null, null);
    }

    private static (double Score, string Name) Score(EpochMetrics m) =>
        m.LogLikelihoodHeldOut is { } held && double.IsFinite(held) ? (held, "held-out log-likelihood")
        : m.PredictionErrorHeldOut is { } prediction && double.IsFinite(prediction) ? (-prediction, "held-out prediction error")
        : m.LogLikelihoodTrain is { } train && double.IsFinite(train) ? (train, "training log-likelihood")
        : (-m.ReconstructionError, "reconstruction error");
}

/// <summary>The watch settings of a run (<c>--early-stopping</c>, <c>--on-divergence</c>), kept in its checkpoint.</summary>
/// <param name="Patience">Epochs without improvement before stopping; 0 never stops early.</param>
/// <param name="OnDivergence">What divergence does.</param>
internal sealed record WatchSettings(int Patience, DivergenceAction OnDivergence)
{
    private const string PatienceKey = "early_stopping", DivergenceKey = "on_divergence";

    /// <summary>Adds the settings to checkpoint metadata.</summary>
    public Dictionary<string, string> AddTo(Dictionary<string, string> metadata)
    {
        metadata[PatienceKey] = Patience.ToString(CultureInfo.InvariantCulture);
        metadata[DivergenceKey] = OnDivergence == DivergenceAction.Stop ? "stop" : "continue";
        return metadata;
    }

    /// <summary>The settings a checkpoint recorded (off and stop when it has none), with those given again taking their place.</summary>
    public static WatchSettings FromMetadata(IReadOnlyDictionary<string, string> metadata, int? patience, DivergenceAction? onDivergence)
    {
        int recorded = metadata.TryGetValue(PatienceKey, out string? p) && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
        DivergenceAction action = metadata.TryGetValue(DivergenceKey, out string? d) && d == "continue" ? DivergenceAction.Continue : DivergenceAction.Stop;
        return new WatchSettings(patience ?? recorded, onDivergence ?? action);
    }
}
