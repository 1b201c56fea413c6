using BenchmarkDotNet.Running;
using RbmSimd.Benchmarks.Tools;

// `ais` and `make-model` are console tools for the scripts in perf/scripts; anything else goes to BenchmarkDotNet.
if (ConsoleTools.TryRun(args, out int exitCode)) return exitCode;
BenchmarkSwitcher.FromAssembly(typeof(ConsoleTools).Assembly).Run(args);
return 0;
