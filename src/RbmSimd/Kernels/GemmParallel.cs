using RbmSimd.Numerics;

namespace RbmSimd.Kernels;

/// <summary>Runs a product as independent blocks of C on the library's workers (<see cref="ChunkedParallel"/>).</summary>
/// <remarks>
/// Implementation notes. C is cut into fixed-size blocks (64 columns, or 132 rows when C is taller than
/// wide), never into <c>ProcessorCount</c> pieces, and each block runs the whole serial algorithm with its
/// own per-thread packing buffers. Because an element's arithmetic does not depend on the block it falls in
/// (see <see cref="GemmDriver"/>), the result is bit-identical to <see cref="GemmDriver.Run"/> for any
/// thread count or scheduling. The price is packing the shared operand once per block (op(A) when splitting
/// columns, op(B) when splitting rows), which is O(mk) or O(kn) against O(mnk) work. Products below about
/// 2 MFLOP run serially: the fork and join would cost more than they save. Block width, measured on 2 cores
/// (best of 25 × 50 calls, GFLOP/s for V·W / H·Wᵀ): 64 columns 205 / 203; 128 columns 112 / 214 (four blocks
/// of V·W did not overlap, for reasons not found); 256 columns 216 / 179 (784 = 3 × 256 + 16 is unbalanced).
/// </remarks>
internal static unsafe class GemmParallel
{
    private const int ColumnBlock = 4 * GemmBlocking.NR;    // 64
    private const int RowBlock = 22 * GemmBlocking.MR;     // 132
    private const long SerialBelowFlops = 2_000_000;

    public static void Run(in GemmProblem problem, KernelIsa isa)
    {
        int m = problem.M, n = problem.N;
        if (m == 0 || n == 0) return;
        bool byColumns = n >= m;
        int block = byColumns ? ColumnBlock : RowBlock;
        int blocks = ((byColumns ? n : m) + block - 1) / block;
        if (blocks <= 1 || 2L * m * n * Math.Max(1, problem.K) < SerialBelowFlops)
        {
            GemmDriver.Run(problem, isa);
            return;
        }
        var body = new Blocks(problem, isa, byColumns, block);
        ChunkedParallel.For(blocks, Environment.ProcessorCount, body);
    }

    /// <summary>The loop body: holds the pinned problem (pointers stay valid: the caller's <c>fixed</c> outlives the parallel run).</summary>
    private readonly struct Blocks(GemmProblem problem, KernelIsa isa, bool byColumns, int block) : IChunkAction
    {
        public void Invoke(int index)
        {
            int start = index * block;
            GemmProblem part = byColumns
                ? problem.Block(0, problem.M, start, Math.Min(block, problem.N - start))
                : problem.Block(start, Math.Min(block, problem.M - start), 0, problem.N);
            GemmDriver.Run(part, isa);
        }
    }
}
