namespace RbmSimd.Numerics;

/// <summary>
/// A small pool of dedicated worker threads that run <see cref="IChunkAction"/> bodies without
/// allocating: the allocation-free alternative to <c>Parallel.For</c> for the training step.
/// </summary>
/// <remarks>
/// Implementation notes. One job runs at a time. The caller publishes the job (a cached, per-type
/// holder of the struct body, so nothing is boxed per call), wakes as many workers as it may use, and
/// then takes chunks itself; every participant claims chunk indices with an interlocked counter until
/// none are left, and the caller waits for the workers to check out. If the pool is already busy (another
/// thread's job, or a body that itself runs parallel work) the caller runs its chunks inline, so the pool
/// never deadlocks. The first exception a body throws is rethrown on the caller, as itself with its stack
/// trace, after the job ends. The pool starts with one worker per core beyond the caller's and grows when a
/// caller asks for more threads (tests of thread-count independence do); workers are background threads
/// and live for the process.
/// </remarks>
internal sealed class ChunkWorkers
{
    /// <summary>The most threads one job may use; larger requests are capped.</summary>
    public const int MaxThreads = 256;

    private static readonly Lazy<ChunkWorkers> s_shared = new(() => new ChunkWorkers(Environment.ProcessorCount - 1));

    private readonly SemaphoreSlim _start = new(0);
    private readonly ManualResetEventSlim _done = new(false);
    private readonly Lock _grow = new();
    private volatile int _workers;
    private Job? _job;
    private int _busy, _chunks, _next, _active;
    private Exception? _error;

    private ChunkWorkers(int workers) => Grow(Math.Max(0, workers));

    /// <summary>Starts workers until there are at least <paramref name="workers"/>.</summary>
    private void Grow(int workers)
    {
        lock (_grow)
        {
            for (int i = _workers; i < workers; i++)
                new Thread(WorkerLoop) { IsBackground = true, Name = $"RbmSimd worker {i + 1}" }.Start();
            if (workers > _workers) _workers = workers;
        }
    }

    /// <summary>The process-wide pool, with one worker per core beyond the caller's.</summary>
    public static ChunkWorkers Shared => s_shared.Value;

    /// <summary>Runs chunks 0…<paramref name="chunks"/>−1 of <paramref name="body"/> on up to <paramref name="threads"/> threads (the caller included).</summary>
    public void Run<T>(int chunks, int threads, in T body) where T : struct, IChunkAction
    {
        int wanted = Math.Min(Math.Min(threads, chunks), MaxThreads) - 1;
        if (wanted > _workers) Grow(wanted);
        int helpers = Math.Min(wanted, _workers);
        // A flag, not a Monitor: Monitor is re-entrant, and a body running on the caller's thread that
        // starts parallel work of its own must run it inline rather than overwrite the running job.
        if (helpers <= 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            T local = body;
            for (int i = 0; i < chunks; i++) local.Invoke(i);
            return;
        }
        try
        {
            Job<T> job = Job<T>.ForThisThread;
            job.Body = body;
            _job = job;
            _chunks = chunks;
            _next = 0;
            _error = null;
            _active = helpers;
            _done.Reset();
            _start.Release(helpers);
            Drain(job);
            _done.Wait();
            _job = null;
            job.Body = default;
            if (_error is { } error) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private void WorkerLoop()
    {
        while (true)
        {
            _start.Wait();
            try
            {
                Drain(_job!);
            }
            finally
            {
                if (Interlocked.Decrement(ref _active) == 0) _done.Set();
            }
        }
    }

    private void Drain(Job job)
    {
        int chunk;
        while ((chunk = Interlocked.Increment(ref _next) - 1) < _chunks)
        {
            try
            {
                job.Invoke(chunk);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
                Interlocked.Exchange(ref _next, _chunks); // stop handing out chunks
            }
        }
    }

    private abstract class Job
    {
        public abstract void Invoke(int chunk);
    }

    private sealed class Job<T> : Job where T : struct, IChunkAction
    {
        [ThreadStatic]
        private static Job<T>? t_job;

        public T Body;

        public static Job<T> ForThisThread => t_job ??= new Job<T>();

        public override void Invoke(int chunk)
        {
            T local = Body;
            local.Invoke(chunk);
        }
    }
}
