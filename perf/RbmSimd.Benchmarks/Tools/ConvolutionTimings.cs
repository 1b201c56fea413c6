using System.Diagnostics;
using System.Text.Json;
using RbmSimd.Data;
using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Training;

namespace RbmSimd.Benchmarks.Tools;

/// <summary>
/// Console timings of the convolutional RBM on the layers of DLL's convolutional benchmark (one JSON line per measurement):
/// <list type="bullet">
/// <item><c>conv-epoch [--layer 1|2|3] [--images 10000] [--threads 1] [--epochs 2] [--batch 64] [--seed 1] [--data DIR]</c>: seconds
/// per epoch of CD-1 through <see cref="RbmTrainer"/> (learning rate 0.01, momentum 0.5, as <c>torch_convrbm.py</c>). Layer 1:
/// the first 10,000 Fashion-MNIST training images binarised at pixel &gt; 127, 1 × 28 × 28, 40 filters of 9 × 9, 2 × 2 pooling;
/// layer 2: 40 × 20 × 20 inputs, 40 filters of 5 × 5; layer 3: 40 × 16 × 16 inputs, 96 filters of 5 × 5 (both 2 × 2 pooling, on
/// random binary inputs with a quarter of the units on, as <c>perf/scripts/torch_convrbm_layers.py</c> uses).</item>
/// <item><c>conv-products [--layer 1|2|3] [--threads 1] [--batch 64] [--repeats 30]</c>: GFLOP/s of each product of a step on one
/// minibatch (valid correlation, full convolution, filter gradient) and of the packed GEMM on the RBM reference shape
/// (100 × 784 · 784 × 500) in the same process, medians of the repeats.</item>
/// </list>
/// </summary>
internal static class ConvolutionTimings
{
    /// <summary>The layers of DLL's convolutional benchmark: shape and pool size.</summary>
    public static (ConvolutionShape Shape, int Pool) Layer(int layer) => layer switch
    {
        1 => (new ConvolutionShape(1, 28, 28, 40, 9), 2),
        2 => (new ConvolutionShape(40, 20, 20, 40, 5), 2),
        3 => (new ConvolutionShape(40, 16, 16, 96, 5), 2),
        _ => throw new ArgumentException($"--layer must be 1, 2 or 3 (it is {layer})."),
    };

    public static int Epoch(int layer, int images, int threads, int epochs, int batch, ulong seed, string folder)
    {
        (ConvolutionShape shape, int pool) = Layer(layer);
        IRowSource data = Data(layer, shape, images, folder, seed);
        var rbm = ConvolutionalRbm.CreateRandom(shape, pool, VisibleUnitKind.Bernoulli, seed, weightStdDev: 0.01f, hiddenBias: -0.1f);
        var options = new TrainingOptions
        {
            Epochs = epochs, BatchSize = batch, LearningRate = 0.01f, InitialMomentum = 0.5f, FinalMomentum = 0.5f, Seed = seed,
            MonitorRows = 1, MonitorRandomRows = 0, ExactLogLikelihoodMaxUnits = 0, MaxDegreeOfParallelism = threads,
        };
        var trainer = new RbmTrainer(rbm, options);
        double gflop = 5.0 * 2 * shape.MultiplyAddsPerImage * data.RowCount / 1e9;
        // CPU seconds of the whole process from one epoch's end to the next (all threads, the monitor's single row included): on one
        // thread, time the machine's other load takes from us does not count.
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        trainer.Train(data, onEpoch: m =>
        {
            TimeSpan now = Process.GetCurrentProcess().TotalProcessorTime;
            Print(new Dictionary<string, object?>
            {
                ["what"] = "rbmsimd_convrbm", ["layer"] = layer, ["epoch"] = m.Epoch, ["seconds"] = m.Seconds, ["threads"] = threads,
                ["cpu_seconds"] = (now - cpu).TotalSeconds, ["images"] = data.RowCount, ["shape"] = shape.ToString(), ["pool"] = pool,
                ["batch"] = batch, ["recon_mse"] = m.ReconstructionError, ["products_gflop"] = gflop, ["effective_gflops"] = gflop / m.Seconds,
                ["kernels"] = KernelSelection.Active.ToString(),
            });
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
        });
        return 0;
    }

    private static IRowSource Data(int layer, ConvolutionShape shape, int images, string folder, ulong seed)
    {
        if (layer == 1)
        {
            ByteDataset train = IdxData.LoadBytes(Path.Combine(folder, "train-images-idx3-ubyte.gz"), binarizeAbove: 127);
            var m = new Matrix(Math.Min(images, train.RowCount), train.ColumnCount);
            for (int r = 0; r < m.Rows; r++) train.CopyRow(r, m.Row(r));
            return new Dataset(m);
        }
        var random = new Sampling.RandomStream(seed + 1000);
        var x = new Matrix(images, shape.ImageLength);
        random.NextSingles(x.AsSpan());
        Span<float> s = x.AsSpan();
        for (int i = 0; i < s.Length; i++) s[i] = s[i] < 0.25f ? 1f : 0f;
        return new Dataset(x);
    }

    public static int Products(int layer, int threads, int batch, int repeats)
    {
        (ConvolutionShape shape, int pool) = Layer(layer);
        var random = new Sampling.RandomStream(7);
        var images = new Matrix(batch, shape.ImageLength);
        var maps = new Matrix(batch, shape.MapsLength);
        var back = new Matrix(batch, shape.ImageLength);
        var filters = new float[shape.FiltersLength];
        var gradient = new float[shape.FiltersLength];
        random.NextSingles(images.AsSpan());
        random.NextSingles(maps.AsSpan());
        random.NextSingles(filters);
        double flop = 2.0 * shape.MultiplyAddsPerImage * batch;
        double Time(Action action)
        {
            // Past tiered compilation: run for a second before timing.
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed.TotalSeconds < 1) action();
            var times = new double[repeats];
            for (int i = 0; i < repeats; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                action();
                times[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            }
            Array.Sort(times);
            return times[repeats / 2];
        }
        double correlate = Time(() => Convolution.CorrelateValid(shape, images, filters, default, maps, 1f, threads));
        double convolve = Time(() => Convolution.ConvolveFull(shape, maps, filters, back, 1f, threads));
        double gradientTime = Time(() => Convolution.FilterGradient(shape, images, maps, gradient, threads));
        var a = new Matrix(100, 784);
        var w = new Matrix(784, 500);
        var c = new Matrix(100, 500);
        random.NextSingles(a.AsSpan());
        random.NextSingles(w.AsSpan());
        double gemm = Time(() =>
        {
            if (threads == 1) Gemm.Multiply(a, MatrixOp.None, w, MatrixOp.None, c);
            else Gemm.MultiplyParallel(a, MatrixOp.None, w, MatrixOp.None, c);
        });
        // The model's operations on the same minibatch, and one whole training step (2·batch rows for the gradient).
        var rbm = ConvolutionalRbm.CreateRandom(shape, pool, VisibleUnitKind.Bernoulli, 3, hiddenBias: -0.1f);
        Span<float> bits = images.AsSpan();
        for (int i = 0; i < bits.Length; i++) bits[i] = bits[i] < 0.25f ? 1f : 0f;
        var hidden = new Matrix(batch, shape.MapsLength);
        var stream = new Sampling.RandomStream(11);
        double meanHiddens = Time(() => rbm.MeanHiddens(images, hidden, Temperature.One, threads));
        double sampleHiddens = Time(() =>
        {
            rbm.MeanHiddens(images, hidden, Temperature.One, threads);
            rbm.SampleHiddensFromMeans(hidden, ref stream, threads);
        }) - meanHiddens;
        double meanVisibles = Time(() => rbm.MeanVisibles(hidden, back, Temperature.One, threads));
        double sampleVisibles = Time(() =>
        {
            rbm.MeanVisibles(hidden, back, Temperature.One, threads);
            rbm.SampleVisiblesFromMeans(back, ref stream, threads);
        }) - meanVisibles;
        var both = new Matrix(2 * batch, shape.ImageLength);
        var bothHidden = new Matrix(2 * batch, shape.MapsLength);
        random.NextSingles(both.AsSpan());
        ParameterSet grad = rbm.Parameters.CreateZeros();
        rbm.MeanHiddens(both, bothHidden, Temperature.One, threads);
        Matrix savedHidden = bothHidden.Clone();
        double copy = Time(() => savedHidden.AsSpan().CopyTo(bothHidden.AsSpan()));
        double gradientStep = Time(() =>
        {
            savedHidden.AsSpan().CopyTo(bothHidden.AsSpan());
            rbm.ComputeGradient(new PhaseBatch(both, bothHidden, batch), grad, threads);
        }) - copy;
        var trainer = new RbmTrainer(rbm, new TrainingOptions { BatchSize = batch, LearningRate = 0.01f, MaxDegreeOfParallelism = threads });
        double step = Time(() => trainer.Step(images));
        Print(new Dictionary<string, object?>
        {
            ["what"] = "rbmsimd_conv_products",
            ["mean_hiddens_ms"] = meanHiddens * 1e3, ["sample_hiddens_ms"] = sampleHiddens * 1e3, ["mean_visibles_ms"] = meanVisibles * 1e3,
            ["sample_visibles_ms"] = sampleVisibles * 1e3, ["compute_gradient_ms"] = gradientStep * 1e3, ["train_step_ms"] = step * 1e3, ["layer"] = layer, ["shape"] = shape.ToString(), ["batch"] = batch, ["threads"] = threads,
            ["correlate_gflops"] = flop / correlate / 1e9, ["convolve_gflops"] = flop / convolve / 1e9, ["gradient_gflops"] = flop / gradientTime / 1e9,
            ["correlate_ms"] = correlate * 1e3, ["convolve_ms"] = convolve * 1e3, ["gradient_ms"] = gradientTime * 1e3,
            ["gemm_784x500_gflops"] = 2.0 * 100 * 784 * 500 / gemm / 1e9, ["kernels"] = KernelSelection.Active.ToString(),
        });
        return 0;
    }

    private static void Print(Dictionary<string, object?> record) => Console.WriteLine(JsonSerializer.Serialize(record));
}
