using System.IO.Compression;
using System.Text;
using System.Text.Json;
using RbmSimd.Persistence;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>docs/scikit-learn.md: a BernoulliRBM's parameters saved as the page says load as an rbm model with that meaning.</summary>
[Collection("Console")]
public class ScikitLearnModelTests
{
    /// <summary>One .npy entry as numpy 1.x writes it: version 1.0, a header padded to 64 bytes, float64 data in the given order.</summary>
    private static byte[] Npy(int[] shape, double[] dataInFileOrder, bool fortranOrder)
    {
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        string header = $"{{'descr': '<f8', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shapeText}, }}";
        int total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.AddRange([1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8)]);
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        foreach (double d in dataInFileOrder) bytes.AddRange(BitConverter.GetBytes(d));
        return bytes.ToArray();
    }

    [Fact]
    public void SklearnParameters_SavedAsDocumented_LoadWithTheirMeaning()
    {
        const int nh = 3, nv = 5;
        var random = new Random(7);
        // scikit-learn's shapes: components_ (nh, nv), intercept_visible_ (nv), intercept_hidden_ (nh).
        double[,] components = new double[nh, nv];
        for (int j = 0; j < nh; j++)
            for (int i = 0; i < nv; i++) components[j, i] = random.NextDouble() * 2 - 1;
        double[] visible = Enumerable.Range(0, nv).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] hidden = Enumerable.Range(0, nh).Select(_ => random.NextDouble() - 0.5).ToArray();

        // np.savez(W=components_.T): the transpose is a Fortran-ordered (nv, nh) view, so numpy writes the bytes of
        // components_ as they are (row-major (nh, nv) = column-major (nv, nh)) with fortran_order True.
        double[] componentsBytes = new double[nh * nv];
        for (int j = 0; j < nh; j++)
            for (int i = 0; i < nv; i++) componentsBytes[j * nv + i] = components[j, i];
        using var folder = new TempFolder();
        string path = folder.File("sklearn-model.npz");
        using (var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create))
        {
            foreach (var (name, bytes) in new[]
            {
                ("W.npy", Npy([nv, nh], componentsBytes, fortranOrder: true)),
                ("visible_bias.npy", Npy([nv], visible, fortranOrder: false)),
                ("hidden_bias.npy", Npy([nh], hidden, fortranOrder: false)),
            })
                using (Stream entry = zip.CreateEntry(name, CompressionLevel.NoCompression).Open()) entry.Write(bytes);
        }

        var (code, stdout, stderr) = CliRunner.Run("info", path, "--json");
        Assert.True(code == 0, stderr);
        JsonElement info = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(nv, info.GetProperty("visible").GetInt32());
        Assert.Equal(nh, info.GetProperty("hidden").GetInt32());
        Assert.True(info.GetProperty("valid").GetBoolean());
        (code, _, stderr) = CliRunner.Run("logz", path, "--exact");
        Assert.True(code == 0, stderr);

        BernoulliRbm rbm = ModelFile.Load<BernoulliRbm>(path);
        for (int i = 0; i < nv; i++)
            for (int j = 0; j < nh; j++) Assert.Equal((float)components[j, i], rbm.Weights[i * nh + j]);
        // scikit-learn's transform(X) = sigmoid(X @ components_.T + intercept_hidden_); its free energy
        // = -X @ intercept_visible_ - logaddexp(0, X @ components_.T + intercept_hidden_).sum(axis=1).
        double[] v = [1, 0, 1, 1, 0];
        var x = new Matrix(1, nv, v.Select(d => (float)d).ToArray());
        var h = new Matrix(1, nh);
        rbm.MeanHiddens(x.AsReadOnlyView(), h.AsView());
        double expectedFree = -v.Select((vi, i) => vi * visible[i]).Sum();
        for (int j = 0; j < nh; j++)
        {
            double activation = hidden[j] + Enumerable.Range(0, nv).Sum(i => v[i] * components[j, i]);
            Assert.Equal(1 / (1 + Math.Exp(-activation)), h[0, j], 5);
            expectedFree -= Math.Log(1 + Math.Exp(activation));
        }
        var free = new double[1];
        rbm.FreeEnergy(x.AsReadOnlyView(), free);
        Assert.Equal(expectedFree, free[0], 4);
    }

    [Fact]
    public void TheDocumentedSnippet_IsTheOneTested()
    {
        string doc = File.ReadAllText(Path.Combine(CliExamplesTests.RepositoryRoot(), "docs", "scikit-learn.md"));
        Assert.Contains("W=rbm.components_.T,", doc);
        Assert.Contains("visible_bias=rbm.intercept_visible_,", doc);
        Assert.Contains("hidden_bias=rbm.intercept_hidden_)", doc);
        string readme = File.ReadAllText(Path.Combine(CliExamplesTests.RepositoryRoot(), "docs", "nuget", "RbmSimd.Cli.md"));
        Assert.Contains("W=rbm.components_.T, visible_bias=rbm.intercept_visible_, hidden_bias=rbm.intercept_hidden_", readme);
    }
}

/// <summary>The package readmes read well on a package page: no relative links, and each package packs its own.</summary>
public class PackageReadmeTests
{
    [Theory]
    [InlineData("src/RbmSimd/RbmSimd.csproj", "docs/nuget/RbmSimd.md")]
    [InlineData("src/RbmSimd.Cli/RbmSimd.Cli.csproj", "docs/nuget/RbmSimd.Cli.md")]
    public void PackageReadme_IsPacked_AndHasNoRelativeLinks(string project, string readme)
    {
        string root = CliExamplesTests.RepositoryRoot();
        string csproj = File.ReadAllText(Path.Combine(root, project));
        Assert.Contains($"<None Include=\"../../{readme}\" Pack=\"true\" PackagePath=\"/README.md\" />", csproj);
        Assert.Contains("<PackageLicenseExpression>MIT</PackageLicenseExpression>", csproj);
        Assert.DoesNotContain("PackageProjectUrl", csproj);
        Assert.DoesNotContain("RepositoryUrl", csproj);
        Assert.StartsWith("MIT License", File.ReadAllText(Path.Combine(root, "LICENSE")));
        string text = File.ReadAllText(Path.Combine(root, readme));
        foreach (System.Text.RegularExpressions.Match link in System.Text.RegularExpressions.Regex.Matches(text, @"\]\(([^)]*)\)"))
            Assert.StartsWith("https://", link.Groups[1].Value);
        Assert.DoesNotContain("shared/spec", text);
    }

    [Fact]
    public void ReadMe_CitesTheArticleByTitle_NotAMissingPath()
    {
        string readme = File.ReadAllText(Path.Combine(CliExamplesTests.RepositoryRoot(), "README.md"));
        Assert.DoesNotContain("shared/spec", readme);
        Assert.Contains("the article \"Restricted Boltzmann Machines\"", readme);
    }
}
