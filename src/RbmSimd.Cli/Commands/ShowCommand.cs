using System.CommandLine;
using RbmSimd.Cli.Pictures;
using RbmSimd.IO;
using RbmSimd.Persistence;
using RbmSimd.Model;

namespace RbmSimd.Cli.Commands;

/// <summary><c>rbm show MODEL</c>: draws the hidden units' filters as a PNG grid.</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var output = new Option<string?>("--output", "-o")
        {
            Description = "PNG to write (replaced if it exists). Default: MODEL-filters.png beside the model (model-filters.png for model.npz), " +
                "so the filters.png that rbm train wrote is kept.",
        };
        var width = ImageOptions.Width();
        var height = ImageOptions.Height();
        var scale = ImageOptions.TileScale();
        var maxSize = ImageOptions.MaxSize();
        var command = new Command("show", "Draw each hidden unit's weights W[:, j] as a picture of the input, as one captioned PNG grid.\n\n" +
            "One tile per hidden unit, each normalised on its own: its smallest weight black, its largest white. For Gaussian visible units a tile " +
            "shows the shift σ⊙W[:, j] the unit adds to the visible means, mapped back through the model's data transform (de-whitened) " +
            "into the data's space. For a convolutional model one tile per filter (F × F, its channels one above the other).\n\n" +
            "Examples:\n  rbm show runs/latest/model.npz\n  rbm show runs/latest/model.npz --output filters-big.png --tile-scale 8\n" +
            "  rbm show runs/latest/model.npz --image-width 16 --image-height 4 --output wide.png\n" +
            "  rbm show runs/conv/model.npz --output conv-filters.png")
        {
            model, output, width, height, scale, maxSize,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            string modelPath = InputFile.RequireModel(parse.GetValue(model)!);
            (IRbm rbm, RbmSimd.Preprocessing.Transform? transform) = ModelFile.LoadWithTransform(modelPath);
            // A convolutional model's tiles are its filters, whatever the shape of its images.
            ImageShape shape = rbm is ConvolutionalRbm conv ? new ImageShape(conv.Shape.Width, conv.Shape.Channels * conv.Shape.Height)
                : ImageShape.Resolve(transform?.InputCount ?? rbm.VisibleCount - rbm.ContextCount, parse.GetValue(width), parse.GetValue(height));
            string path = parse.GetValue(output) ?? ImageOptions.BesideModel(modelPath, "filters");
            ImageOptions.EnsureFolder(path, "--output", "filters.png");
            int? tileScale = parse.GetValue(scale);
            int maxSide = parse.GetValue(maxSize);
            (int tiles, ImageShape tile) = FilterImage.Tiles(rbm, shape);
            var grid = new TileGrid(tiles, tile, scale: tileScale ?? 0, maxSide: maxSide);
            ImageOptions.RequireFits(grid.Width, grid.Height + Caption.Height, maxSide, tileScale);
            GrayImage image = FilterImage.Render(rbm, shape, scale: grid.Scale, caption: FilterImage.DefaultCaption(rbm), transform: transform);
            image.SavePng(path);
            Console.WriteLine(ImageOptions.Wrote(path, $"{tiles} filters of {tile.Width}x{tile.Height} at {grid.Scale}x, {image.Width}x{image.Height} px"));
            return 0;
        }));
        return command;
    }
}
