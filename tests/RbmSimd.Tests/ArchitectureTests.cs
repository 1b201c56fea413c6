using System.Text.RegularExpressions;
using Xunit;

namespace RbmSimd.Tests;

/// <summary>
/// Keeps <c>docs/architecture.md</c> true: every namespace of the library may use only the namespaces its row
/// of the table lists, read from the <c>using RbmSimd.…</c> lines and fully qualified names of its files.
/// </summary>
public partial class ArchitectureTests
{
    [GeneratedRegex(@"^\| `(?<ns>[A-Za-z]+)` \|.*\| (?<uses>[^|]*) \|\s*$", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"\bRbmSimd\.(?<ns>[A-Z][A-Za-z]*)\b")]
    private static partial Regex Reference();

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RbmSimd.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("The repository root (RbmSimd.sln) is not above the test assembly.");
    }

    private static Dictionary<string, HashSet<string>> AllowedUses()
    {
        string doc = File.ReadAllText(Path.Combine(Root(), "docs", "architecture.md"));
        var allowed = new Dictionary<string, HashSet<string>>();
        foreach (Match m in TableRow().Matches(doc))
        {
            var uses = m.Groups["uses"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(u => u.Trim('`')).Where(u => u != "—");
            allowed[m.Groups["ns"].Value] = [.. uses];
        }
        return allowed;
    }

    [Fact]
    public void EveryNamespace_UsesOnlyWhatTheArchitectureAllows()
    {
        Dictionary<string, HashSet<string>> allowed = AllowedUses();
        Assert.True(allowed.Count >= 10, $"The table in docs/architecture.md was not found ({allowed.Count} rows read).");
        string library = Path.Combine(Root(), "src", "RbmSimd");
        var violations = new List<string>();
        var seen = new HashSet<string>();
        foreach (string file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(library, file);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal)) continue;
            string[] parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Length < 2) continue; // files at the root of the library (none today) belong to no layer
            string ns = parts[0];
            seen.Add(ns);
            if (!allowed.TryGetValue(ns, out HashSet<string>? uses))
            {
                violations.Add($"{relative}: namespace {ns} has no row in docs/architecture.md");
                continue;
            }
            foreach (Match m in Reference().Matches(File.ReadAllText(file)))
            {
                string used = m.Groups["ns"].Value;
                if (used != ns && allowed.ContainsKey(used) && !uses.Contains(used))
                    violations.Add($"{relative}: {ns} uses {used}");
            }
        }
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations.Distinct()));
        Assert.Empty(allowed.Keys.Except(seen)); // every row names a folder that exists
    }
}
