// An `orfeas` command that DaemonFinder found and DaemonLauncher runs: the file, the Node that runs it when it is
// a script, and where it was found, for the window's sentence.
namespace Orfeas.Bridge.Protocol
{
    /// <summary>How to run the Orfeas CLI on this machine.</summary>
    public sealed class DaemonCommand
    {
        /// <summary>A command found at <paramref name="path"/>, run by <paramref name="node"/> when that is not null.</summary>
        public DaemonCommand(string path, string node, string origin)
        {
            Path = path;
            Node = node;
            Origin = origin;
        }

        /// <summary>`orfeas`, `orfeas.cmd`, `orfeas.exe`, or the script `orfeas.cjs`.</summary>
        public string Path { get; }

        /// <summary>The `node` that runs <see cref="Path"/> (a script), or null when it runs by itself.</summary>
        public string Node { get; }

        /// <summary>Where it was found, in words: "Orfeas settings", "the PATH", "the Orfeas extension 0.2.0 for VS Code".</summary>
        public string Origin { get; }

        /// <summary>What starts it, program first: [node, script] or [command].</summary>
        public string[] Program => Node != null ? new[] { Node, Path } : new[] { Path };

        /// <summary>One line for the window: the command and its origin.</summary>
        public override string ToString() => Node != null ? $"{Path} with {Node} (from {Origin})" : $"{Path} (from {Origin})";
    }
}
