// Where the Orfeas CLI is on this machine, for the window's Start daemon button (DaemonLauncher runs it): the
// command set in the settings, else `orfeas` on the PATH (npm install -g), else the copy inside the VS Code
// extension, newest version first. Pure apart from the HostMachine's probes, so every platform is tested anywhere.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Finds an `orfeas` command to start the daemon with.</summary>
    public static class DaemonFinder
    {
        /// <summary>What to tell a user when no command is found: the three ways to get one.</summary>
        public const string k_InstallHint = "Install the Orfeas daemon: `npm install -g orfeas` (Node.js 20 or newer from nodejs.org), "
            + "or install the Orfeas extension in VS Code, or set the command's path in Orfeas settings.";

        const string k_NeedsNode = "needs Node.js to run: install Node.js 20 or newer from nodejs.org so that `node` is on the PATH";
        const string k_DefaultPathExt = ".COM;.EXE;.BAT;.CMD";

        // What each VS Code flavour installs extensions into, under the user's home: desktop, Insiders, the open
        // builds (VSCodium, Code - OSS), a remote server, and code-server.
        static readonly string[] k_ExtensionFolders =
        {
            ".vscode/extensions", ".vscode-insiders/extensions", ".vscode-oss/extensions", ".vscode-server/extensions", ".local/share/code-server/extensions",
        };

        // publisher.name-version, with the target platform after it for a platform-specific package (-win32-x64).
        static readonly Regex k_ExtensionFolder = new Regex(@"^orfeas\.orfeas-(\d{1,9})\.(\d{1,9})\.(\d{1,9})(?:-([a-z0-9]+)(?:-[a-z0-9]+)*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        // Programs Windows starts from PATH that cmd.exe can run; others in PATHEXT (.JS, .PS1, …) are left alone.
        static readonly string[] k_WindowsRunnable = { ".exe", ".com", ".cmd", ".bat" };

        // A macOS app opened from the Dock or Finder gets launchd's PATH (/usr/bin:/bin:/usr/sbin:/sbin), without
        // the folders Homebrew and the Node.js installer put `node` and npm's global commands in.
        static readonly string[] k_MacFolders = { "/opt/homebrew/bin", "/usr/local/bin" };

        /// <summary>
        /// The command to start the daemon with, or null with <paramref name="problem"/> saying why none can be used (the
        /// install sentence <see cref="k_InstallHint"/> when there is none at all). <paramref name="setting"/> is the
        /// command's path from the settings; when set, it is the only one tried.
        /// </summary>
        public static DaemonCommand Find(string setting, HostMachine machine, out string problem)
        {
            if (machine == null)
                throw new ArgumentNullException(nameof(machine));
            problem = null;
            setting = (setting ?? "").Trim().Trim('"');
            if (setting != "")
                return FromSetting(setting, machine, out problem);
            var onPath = Search(machine, "orfeas", out var origin);
            if (onPath != null)
                return new DaemonCommand(onPath, null, origin);
            var script = FromExtensions(machine, out origin);
            if (script != null)
                return WithNode(script, origin, machine, out problem);
            problem = k_InstallHint;
            return null;
        }

        /// <summary>
        /// The first <paramref name="name"/> that PATH finds (on Windows with an extension of PATHEXT that cmd.exe runs,
        /// elsewhere an executable file; on macOS also in Homebrew's folders), or null. <paramref name="origin"/> says where.
        /// </summary>
        public static string Search(HostMachine machine, string name, out string origin)
        {
            origin = "the PATH";
            var folders = machine.PathFolders();
            if (machine.Platform == HostPlatform.Windows)
            {
                var extensions = RunnableExtensions(machine);
                foreach (var folder in folders)
                {
                    foreach (var extension in extensions)
                    {
                        var candidate = machine.Join(folder, name + extension);
                        if (machine.IsFile(candidate))
                            return candidate;
                    }
                }
                return null;
            }
            foreach (var folder in folders)
            {
                var candidate = machine.Join(folder, name);
                if (machine.IsFile(candidate) && machine.IsExecutable(candidate))
                    return candidate;
            }
            if (machine.Platform != HostPlatform.MacOS)
                return null;
            foreach (var folder in k_MacFolders.Where(f => !folders.Contains(f)))
            {
                var candidate = machine.Join(folder, name);
                if (machine.IsFile(candidate) && machine.IsExecutable(candidate))
                {
                    origin = folder;
                    return candidate;
                }
            }
            return null;
        }

        static DaemonCommand FromSetting(string setting, HostMachine machine, out string problem)
        {
            problem = null;
            const string origin = "Orfeas settings";
            var path = machine.FullPath(machine.ExpandHome(setting));
            var windows = machine.Platform == HostPlatform.Windows;
            var isFile = machine.IsFile(path);
            if (isFile && IsScript(path))
                return WithNode(path, origin, machine, out problem);
            if (isFile && (windows ? k_WindowsRunnable.Contains(Extension(path)) : machine.IsExecutable(path)))
                return new DaemonCommand(path, null, origin);
            // npm puts orfeas (for Git Bash), orfeas.cmd and orfeas.ps1 side by side on Windows: `…\npm\orfeas` means orfeas.cmd.
            if (windows && Extension(path) == "")
            {
                foreach (var extension in RunnableExtensions(machine))
                {
                    if (machine.IsFile(path + extension))
                        return new DaemonCommand(path + extension, null, origin);
                }
            }
            if (isFile)
            {
                problem = windows
                    ? $"The Orfeas command in Orfeas settings, {path}, is not a program Windows runs: set the path of orfeas.cmd, orfeas.exe or orfeas.cjs."
                    : $"The Orfeas command in Orfeas settings, {path}, is not executable: make it so (chmod +x), or set the path of orfeas.cjs.";
                return null;
            }
            problem = $"The Orfeas command in Orfeas settings, {path}, is not a file. Set the path of orfeas, orfeas.cmd or orfeas.cjs, "
                + "or clear it to use the one on the PATH or in VS Code's Orfeas extension.";
            return null;
        }

        // The newest dist/orfeas.cjs of the Orfeas extension in any VS Code flavour's extensions folder.
        static string FromExtensions(HostMachine machine, out string origin)
        {
            origin = null;
            string best = null;
            var bestVersion = new long[0];
            foreach (var folder in k_ExtensionFolders.Select(f => machine.Join(machine.UserHome, f.Replace('/', machine.Separator))))
            {
                foreach (var name in machine.FolderNames(folder).OrderBy(n => n, StringComparer.Ordinal))
                {
                    var match = k_ExtensionFolder.Match(name);
                    if (!match.Success || !ForThisPlatform(match.Groups[4].Value, machine.Platform))
                        continue;
                    var version = new[] { long.Parse(match.Groups[1].Value), long.Parse(match.Groups[2].Value), long.Parse(match.Groups[3].Value) };
                    var script = machine.Join(folder, name, "dist", "orfeas.cjs");
                    if (Newer(version, bestVersion) && machine.IsFile(script))
                    {
                        best = script;
                        bestVersion = version;
                        origin = $"the Orfeas extension {string.Join(".", version)} for VS Code";
                    }
                }
            }
            return best;
        }

        static DaemonCommand WithNode(string script, string origin, HostMachine machine, out string problem)
        {
            problem = null;
            var node = Search(machine, "node", out _);
            if (node != null)
                return new DaemonCommand(script, node, origin);
            problem = $"Found {script} (from {origin}), which {k_NeedsNode}; or install the command itself with `npm install -g orfeas`.";
            return null;
        }

        // A package built for another system (a shared home folder, a copied profile) has the wrong native modules.
        static bool ForThisPlatform(string target, HostPlatform platform)
        {
            switch (target.ToLowerInvariant())
            {
                case "win32":
                    return platform == HostPlatform.Windows;
                case "darwin":
                    return platform == HostPlatform.MacOS;
                case "linux":
                case "alpine":
                    return platform == HostPlatform.Linux;
                default:
                    return true; // no target platform, or one that runs anywhere (universal)
            }
        }

        static bool Newer(long[] version, long[] than)
        {
            for (var i = 0; i < version.Length; i++)
            {
                if (i >= than.Length || version[i] != than[i])
                    return i >= than.Length || version[i] > than[i];
            }
            return false;
        }

        static List<string> RunnableExtensions(HostMachine machine)
        {
            var pathExt = machine.Variable("PATHEXT");
            return (pathExt.Trim() == "" ? k_DefaultPathExt : pathExt).Split(';')
                .Select(e => e.Trim().ToLowerInvariant()).Where(e => k_WindowsRunnable.Contains(e)).Distinct().ToList();
        }

        static bool IsScript(string path) => new[] { ".cjs", ".js", ".mjs" }.Contains(Extension(path));

        static string Extension(string path)
        {
            var dot = path.LastIndexOf('.');
            return dot > path.LastIndexOfAny(new[] { '/', '\\' }) ? path.Substring(dot).ToLowerInvariant() : "";
        }
    }
}
