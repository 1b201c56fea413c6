using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Numerics;
using Xunit;

namespace RbmSimd.Tests.Data;

/// <summary>
/// Sequences and the rows a conditional model learns from: context rows assembled as the definition says (never across a
/// sequence boundary), sequence boundaries from ids and numpy shapes, the generators' physics and determinism, label
/// contexts.
/// </summary>
public class SequenceDataTests
{
    /// <summary>Frames whose values name them: frame f (global index) has values f·10 + c.</summary>
    private static SequenceSet Numbered(int width, params int[] lengths)
    {
        int total = lengths.Sum();
        var m = new Matrix(total, width);
        for (int f = 0; f < total; f++)
            for (int c = 0; c < width; c++) m[f, c] = f * 10 + c;
        return new SequenceSet(new Dataset(m), lengths);
    }

    // Kills: the history in time order instead of most recent first, a row borrowing frames of the previous sequence,
    // rows for frames without a full history, an empty sequence shifting the rows after it.
    [Fact]
    public void ContextRows_AreEachFrameBesideItsHistory_MostRecentFirst_WithinItsSequence()
    {
        SequenceSet set = Numbered(3, 5, 1, 7, 2, 3);
        SequenceContextRows rows = set.ContextRows(2);
        var expected = new List<float[]>();
        int start = 0;
        foreach (int length in new[] { 5, 1, 7, 2, 3 })
        {
            for (int t = 2; t < length; t++)
            {
                var row = new List<float>();
                for (int k = 0; k <= 2; k++)
                    for (int c = 0; c < 3; c++) row.Add((start + t - k) * 10 + c);
                expected.Add([.. row]);
            }
            start += length;
        }
        Assert.Equal(expected.Count, rows.RowCount);
        Assert.Equal(9, rows.ColumnCount);
        var actual = new float[9];
        for (int r = 0; r < rows.RowCount; r++)
        {
            rows.CopyRow(r, actual);
            Assert.Equal(expected[r], actual);
        }
        Assert.Equal((4, 2), rows.Locate(rows.RowCount - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => rows.CopyRow(rows.RowCount, actual));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.ContextRows(0));
    }

    [Fact]
    public void FromFrames_StartsASequenceWhereTheIdChanges()
    {
        var frames = new Dataset(new Matrix(6, 2));
        SequenceSet set = SequenceSet.FromFrames(frames, [7, 7, 3, 3, 3, 7]);
        Assert.Equal([2, 3, 1], Enumerable.Range(0, set.Count).Select(set.Length).ToArray());
        Assert.Equal(1, SequenceSet.FromFrames(frames).Count);
        Assert.Throws<ArgumentException>(() => SequenceSet.FromFrames(frames, [1, 2]));
        Assert.Throws<ArgumentException>(() => new SequenceSet(frames, [3, 2]));
        Assert.Throws<ArgumentException>(() => new SequenceSet(frames, [6, 0]));
    }

    [Fact]
    public void FromNumpy_ReadsTheLeadingAxisAsSequences()
    {
        float[] values = Enumerable.Range(0, 2 * 3 * 4).Select(i => (float)i).ToArray();
        SequenceSet one = SequenceSet.FromNumpy(new NpyArray([6, 4], values), "x.npy");
        Assert.Equal((1, 6, 4), (one.Count, one.Length(0), one.FrameWidth));
        SequenceSet two = SequenceSet.FromNumpy(new NpyArray([2, 3, 4], values), "x.npy");
        Assert.Equal((2, 3, 4), (two.Count, two.Length(1), two.FrameWidth));
        Assert.Equal(Enumerable.Range(12, 4).Select(i => (float)i), two.Sequence(1).Row(0).ToArray());
        SequenceSet images = SequenceSet.FromNumpy(new NpyArray([2, 3, 2, 2], values), "x.npy");
        Assert.Equal((2, 2, 4), (images.ImageWidth, images.ImageHeight, images.FrameWidth));
        var e = Assert.Throws<InvalidDataException>(() => SequenceSet.FromNumpy(new NpyArray([24], values), "x.npy"));
        Assert.StartsWith("x.npy: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Throws<InvalidDataException>(() => SequenceSet.FromNumpy(NpyArray.FromString("frames"), "x.npy"));
    }

    [Fact]
    public void Slice_KeepsTheSequencesFrames()
    {
        SequenceSet set = Numbered(2, 3, 4, 5);
        SequenceSet middle = set.Slice(1, 2);
        Assert.Equal(9, middle.TotalFrames);
        Assert.Equal(set.Sequence(1).AsSpan().ToArray(), middle.Sequence(0).AsSpan().ToArray());
        Assert.Equal(set.Sequence(2).AsSpan().ToArray(), middle.Sequence(1).AsSpan().ToArray());
    }

    // Kills: a seed ignored or a sequence's stream depending on the set's size, rendering with the wrong radius or a
    // soft edge (the lit area would be off), balls overlapping or leaving the box.
    [Fact]
    public void BouncingBalls_AreSeededAndRenderDiscsOfTheRadius()
    {
        SequenceSet a = BouncingBalls.Generate(6, 40, seed: 3), b = BouncingBalls.Generate(3, 40, seed: 3), c = BouncingBalls.Generate(3, 40, seed: 4);
        Assert.Equal((30, 30, 900), (a.ImageWidth, a.ImageHeight, a.FrameWidth));
        Assert.Equal(b.Sequence(2).AsSpan().ToArray(), a.Sequence(2).AsSpan().ToArray());
        Assert.NotEqual(c.Sequence(0).AsSpan().ToArray(), b.Sequence(0).AsSpan().ToArray());
        // A disc of radius r·(ln 2)^{1/8} (where exp(−(d²/r²)⁴) = ½) in pixels: 1.2 · 0.9552 · 3 px.
        double disc = Math.PI * Math.Pow(1.2 * Math.Pow(Math.Log(2), 0.125) * 3, 2);
        double total = 0;
        for (int f = 0; f < a.TotalFrames; f++)
        {
            var row = new float[900];
            a.Frames.CopyRow(f, row);
            Assert.All(row, x => Assert.True(x is 0f or 1f));
            double lit = row.Sum();
            Assert.InRange(lit, 3 * disc * 0.8, 3 * disc * 1.2);
            total += lit;
        }
        Assert.InRange(total / a.TotalFrames, 3 * disc * 0.95, 3 * disc * 1.05);
    }

    // Kills: velocities not normalised to the speed, sub-steps that lose speed at a bounce (inelastic), a wall reflection
    // that sends a ball the wrong way (it would stick or leave).
    [Fact]
    public void BouncingBalls_OneBall_MovesAtTheSpeed_AndStaysInTheBox()
    {
        SequenceSet set = BouncingBalls.Generate(4, 200, seed: 9, new BouncingBallsOptions { Balls = 1, Binary = false, Size = 60 });
        var steps = new List<double>();
        for (int s = 0; s < set.Count; s++)
        {
            Matrix frames = set.Sequence(s);
            (double X, double Y) Centroid(int t)
            {
                double sx = 0, sy = 0, sw = 0;
                for (int i = 0; i < 3600; i++) { double w = frames[t, i]; sx += w * (i % 60); sy += w * (i / 60); sw += w; }
                Assert.True(sw > 0, "the ball left the box");
                return (sx / sw, sy / sw);
            }
            for (int t = 1; t < frames.Rows; t++)
            {
                var (x0, y0) = Centroid(t - 1);
                var (x1, y1) = Centroid(t);
                steps.Add(Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)));
            }
        }
        // 0.5 box units per frame is 3 pixels at 60 px per 10 units; frames with a bounce move less, so the median is the speed.
        steps.Sort();
        Assert.InRange(steps[steps.Count / 2], 2.9, 3.1);
        Assert.True(steps[^1] <= 3.1, $"a step of {steps[^1]} px exceeds the speed");
    }

    // Kills: a seed ignored, the stride outside its range, the right side not half a cycle behind the left.
    [Fact]
    public void WalkerMotion_IsSeeded_Cyclic_AndCoupled()
    {
        SequenceSet a = WalkerMotion.Generate(3, 400, seed: 5), b = WalkerMotion.Generate(3, 400, seed: 5);
        Assert.Equal(12, a.FrameWidth);
        Assert.Equal(a.Sequence(1).AsSpan().ToArray(), b.Sequence(1).AsSpan().ToArray());
        for (int s = 0; s < a.Count; s++)
        {
            Matrix m = a.Sequence(s);
            int crossings = 0;
            double leftRight = 0;
            for (int t = 1; t < m.Rows; t++)
            {
                if (Math.Sign(m[t, 0]) != Math.Sign(m[t - 1, 0])) crossings++;
                leftRight += m[t, 0] * m[t, 5];
            }
            // Two zero crossings of the hip per stride of 10 to 20 frames (the stride wanders within [5, 40]).
            Assert.InRange(crossings, 2 * 400 / 40, 2 * 400 / 5);
            Assert.True(leftRight < 0, "the right hip swings with the left instead of against it");
        }
    }

    [Fact]
    public void LabelContextRows_AppendTheOneHotClass()
    {
        var features = new Dataset(new Matrix(3, 2, [1, 2, 3, 4, 5, 6]));
        var rows = new LabelContextRows(features, [2, 0, 1], 3);
        var row = new float[5];
        rows.CopyRow(0, row);
        Assert.Equal([1f, 2f, 0f, 0f, 1f], row);
        rows.CopyRow(1, row);
        Assert.Equal([3f, 4f, 1f, 0f, 0f], row);
        Assert.Throws<ArgumentException>(() => new LabelContextRows(features, [0, 3, 1], 3));
        Assert.Throws<ArgumentException>(() => new LabelContextRows(features, [0, 1], 3));
    }
}
