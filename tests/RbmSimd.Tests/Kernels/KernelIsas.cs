using RbmSimd.Kernels;
using Xunit;

namespace RbmSimd.Tests.Kernels;

/// <summary>Every <see cref="KernelIsa"/> this CPU can run, as theory data: tests call each path directly.</summary>
public static class KernelIsas
{
    public static TheoryData<KernelIsa> Supported
    {
        get
        {
            var data = new TheoryData<KernelIsa>();
            foreach (KernelIsa isa in Enum.GetValues<KernelIsa>())
                if (KernelSelection.IsSupported(isa)) data.Add(isa);
            return data;
        }
    }

    /// <summary>The lengths every element-wise kernel is tried at: empty, every remainder of 4 and 8, and a ragged large size.</summary>
    public static readonly int[] Lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 6 * 512 + 7];
}
