using System.CommandLine;
using RbmSimd.Cli.Pictures;
using RbmSimd.IO;
using RbmSimd.Persistence;

namespace RbmSimd.Cli.Commands;

/// <summary><c>rbm show MODEL</c>: draws the hidden units' filters as <c>filters.png</c>.</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var output = new Option<string?>("--output", "-o") { Description = "PNG to write (default: filters.png beside the model)." };
        var width = ImageOptions.Width();
        var height = ImageOptions.Height();
        var command = new Command("show", "Draw each hidden unit's weights W[:, j] as a picture of the input (one tile per hidden unit, " +
            "each normalised on its own: smallest weight black, largest white) and write them as one PNG grid.\n\n" +
            "Examples:\n  rbm show runs/latest/model.npz\n  rbm show model.npz --output filters.png\n  rbm show model.npz --image-width 16 --image-height 4")
        {
            model, output, width, height,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            string modelPath = parse.GetValue(model)!;
            ImageOptions.Validate(parse.GetValue(width), parse.GetValue(height));
            var rbm = ModelFile.Load(modelPath);
            ImageShape shape = ImageShape.Resolve(rbm.VisibleCount, parse.GetValue(width), parse.GetValue(height));
            string path = parse.GetValue(output) ?? ImageOptions.BesideModel(modelPath, "filters.png");
            ImageOptions.EnsureFolder(path, "filters.png");
            GrayImage image = FilterImage.Render(rbm, shape);
            image.SavePng(path);
            Console.WriteLine($"wrote {path} ({rbm.HiddenCount} filters of {shape.Width}x{shape.Height}, {image.Width}x{image.Height} px)");
            return 0;
        }));
        return command;
    }
}
