using BenchmarkDotNet.Attributes;
using RbmSimd.Benchmarks.Columns;
using RbmSimd.Benchmarks.Kernels;
using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Training;

namespace RbmSimd.Benchmarks.Training;

/// <summary>
/// A CD-1 step at the bouncing balls' shape: 900 visible units (30 × 30 frames), 400 hidden units, batch 100; the conditional
/// model has a history of 2 frames (1800 context values).
/// </summary>
/// <remarks>
/// FLOP of a step, counting every product as dense: the Bernoulli RBM's five products of <c>2·B·nv·nh</c> (both phases' hidden
/// inputs, the chains' visible inputs, the weight gradient over both phases), and for the conditional model the context
/// products besides: both phases' <c>u·Bᵀ</c> (<c>2·B·nc·nh</c> each), the chains' <c>u·Aᵀ</c> (<c>2·B·nc·nv</c>) and the context
/// gradients over both phases (<c>2·2B·nc·nh</c> and <c>2·2B·nv·nc</c>): <c>2B·nc·(4nh + 3nv)</c>.
/// </remarks>
public sealed record ConditionalStepShape(string Name, bool Conditional, bool Binary) : IFlopCount
{
    public const int Batch = 100, Frame = 900, History = 2, Hidden = 400, Context = Frame * History;

    public double Flops => 5.0 * 2 * Batch * Frame * Hidden + (Conditional ? 2.0 * Batch * Context * (4 * Hidden + 3 * Frame) : 0);

    public override string ToString() => Name;
}

/// <summary>
/// One training step of the conditional RBM beside the unconditional one on the same frames (bouncing balls: binary frames,
/// which take the set-bit product where they are sparse enough, and grey frames, which take the packed GEMM), so the context
/// products' rate can be read against the frame products'. The allocation column must read 0 B.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(KernelBenchConfig))]
public class ConditionalStepBench
{
    private RbmTrainer _trainer = null!;
    private Matrix _batch = null!;

    public static IEnumerable<ConditionalStepShape> Shapes() =>
    [
        new("RBM binary", false, true),
        new("CRBM binary", true, true),
        new("RBM grey", false, false),
        new("CRBM grey", true, false),
    ];

    [ParamsSource(nameof(Shapes))]
    public ConditionalStepShape Shape { get; set; } = null!;

    /// <summary>1: the serial path; 2: fixed blocks on the library's workers.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ConditionalStepShape s = Shape;
        SequenceSet set = BouncingBalls.Generate(2, 100, 1, new BouncingBallsOptions { Binary = s.Binary });
        IRowSource rows = set.ContextRows(ConditionalStepShape.History);
        int width = s.Conditional ? rows.ColumnCount : ConditionalStepShape.Frame;
        _batch = new Matrix(ConditionalStepShape.Batch, width);
        var row = new float[rows.ColumnCount];
        for (int r = 0; r < _batch.Rows; r++)
        {
            rows.CopyRow(r, row);
            row.AsSpan(0, width).CopyTo(_batch.Row(r));
        }
        IRbm model = s.Conditional
            ? ConditionalRbm.CreateRandom(VisibleUnitKind.Bernoulli, ConditionalStepShape.Frame, ConditionalStepShape.Context, ConditionalStepShape.Hidden, seed: 2,
                historyLength: ConditionalStepShape.History)
            : BernoulliRbm.CreateRandom(ConditionalStepShape.Frame, ConditionalStepShape.Hidden, seed: 2);
        _trainer = new RbmTrainer(model, new TrainingOptions { BatchSize = ConditionalStepShape.Batch, LearningRate = 0.01f, MaxDegreeOfParallelism = Threads });
        _trainer.Step(_batch);
    }

    [Benchmark]
    public void Step() => _trainer.Step(_batch);
}
