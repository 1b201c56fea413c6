using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Persistence;
using RbmSimd.Preprocessing;
using RbmSimd.Stacking;

namespace RbmSimd.Cli;

/// <summary>
/// The MODEL argument of commands that serve every model kind (<c>transform</c>, <c>sample</c>, <c>info</c>): a single
/// model file or a Deep Belief Network file, told apart by <c>model_kind</c>. A single model is held as a one-layer network
/// so that one code path computes features for both.
/// </summary>
/// <param name="Path">The file as given.</param>
/// <param name="Network">The layers (one for a single model).</param>
/// <param name="DataTransform">The data transform stored with the model, applied to data rows before the first layer; null for none.</param>
/// <param name="IsDbn">Whether the file is a DBN file (<c>model_kind</c> <c>dbn</c>), even one of a single layer.</param>
internal sealed record ModelInput(string Path, DeepBeliefNetwork Network, Transform? DataTransform, bool IsDbn)
{
    /// <summary>The single model of a model file; null for a DBN file.</summary>
    public IRbm? Single => IsDbn ? null : Network.Layers[0];

    /// <summary>The values a data row must have: the stored transform's inputs, else the first layer's visible units.</summary>
    public int InputCount => DataTransform?.InputCount ?? Network.VisibleCount;

    /// <summary><c>dbn</c>, or the single model's kind.</summary>
    public string Kind => IsDbn ? DbnFile.KindName : Network.Layers[0].Kind;

    /// <summary>The units of each layer, bottom first: <c>64-100-50</c>.</summary>
    public string Shape => string.Join('-', Network.Layers.Select(l => l.VisibleCount).Append(Network.TopCount));

    /// <summary>Reads a model or DBN file (already checked to exist, see <see cref="InputFile.RequireModel"/>).</summary>
    /// <exception cref="InvalidDataException">The file is not a valid model or DBN file.</exception>
    public static ModelInput Load(string path)
    {
        using NpzArchive archive = Npz.Open(path);
        var arrays = new NpzArrays(archive);
        if (DbnFile.IsDbn(arrays))
        {
            var (network, transform) = DbnFile.FromArraysWithTransform(arrays, path);
            return new ModelInput(path, network, transform, IsDbn: true);
        }
        IRbm model = ModelFile.FromArrays(arrays, path);
        return new ModelInput(path, new DeepBeliefNetwork([model]), ModelFile.ReadTransform(arrays, model, path), IsDbn: false);
    }
}
