// The machine as the daemon finder, the home rule and the launcher see it: its platform, its environment variables
// and a few file-system probes. Current() is the real one; tests build Windows and macOS machines on any system.
using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>A platform, its environment and how to look at its files.</summary>
    public sealed class HostMachine
    {
        const int k_ExecuteAccess = 1; // X_OK

        readonly Dictionary<string, string> m_Variables;

        /// <summary>
        /// A machine of <paramref name="platform"/> with these environment <paramref name="variables"/> (names compared
        /// without case on Windows, as Windows does). <paramref name="accountHome"/> is the account's home folder as the
        /// system knows it, used only when USERPROFILE (Windows) or HOME (elsewhere) is unset, as Node does.
        /// </summary>
        public HostMachine(HostPlatform platform, IDictionary<string, string> variables, string accountHome = null)
        {
            Platform = platform;
            m_Variables = new Dictionary<string, string>(platform == HostPlatform.Windows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            foreach (var pair in variables ?? new Dictionary<string, string>())
                m_Variables[pair.Key] = pair.Value;
            var home = Variable(platform == HostPlatform.Windows ? "USERPROFILE" : "HOME");
            UserHome = home != "" ? home : accountHome ?? "";
        }

        /// <summary>The operating system.</summary>
        public HostPlatform Platform { get; }

        /// <summary>The user's home folder as Node's os.homedir() gives it: USERPROFILE on Windows, HOME elsewhere.</summary>
        public string UserHome { get; }

        /// <summary>Whether a plain file exists at a path (default: the real file system).</summary>
        public Func<string, bool> IsFile { get; set; } = File.Exists;

        /// <summary>Whether this user may execute a file (POSIX; default: access(2) with X_OK).</summary>
        public Func<string, bool> IsExecutable { get; set; } = Executable;

        /// <summary>The names of the folders inside a folder; none when it is missing or unreadable.</summary>
        public Func<string, IEnumerable<string>> FolderNames { get; set; } = ListFolders;

        /// <summary>A path made absolute and normal (default: Path.GetFullPath of the running system).</summary>
        public Func<string, string> FullPath { get; set; } = Path.GetFullPath;

        /// <summary>The path separator of <see cref="Platform"/>.</summary>
        public char Separator => Platform == HostPlatform.Windows ? '\\' : '/';

        /// <summary>The separator between the folders of PATH.</summary>
        public char PathListSeparator => Platform == HostPlatform.Windows ? ';' : ':';

        /// <summary>The machine the editor runs on, with its environment as it is now.</summary>
        public static HostMachine Current()
        {
            var platform = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? HostPlatform.Windows
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? HostPlatform.MacOS : HostPlatform.Linux;
            var variables = new Dictionary<string, string>();
            foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
                variables[(string)entry.Key] = (string)entry.Value;
            // On Windows the shell's profile folder, on Mono HOME else the password database: both what Node falls back to.
            return new HostMachine(platform, variables, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        }

        /// <summary>An environment variable's value, "" when it is unset.</summary>
        public string Variable(string name) => m_Variables.TryGetValue(name, out var value) ? value ?? "" : "";

        /// <summary>The same machine with some variables replaced (the file-system probes are kept).</summary>
        public HostMachine With(IDictionary<string, string> changes)
        {
            var variables = new Dictionary<string, string>(m_Variables, m_Variables.Comparer);
            foreach (var change in changes)
                variables[change.Key] = change.Value;
            var accountHome = UserHome;
            return new HostMachine(Platform, variables, accountHome)
            {
                IsFile = IsFile,
                IsExecutable = IsExecutable,
                FolderNames = FolderNames,
                FullPath = FullPath,
            };
        }

        /// <summary><paramref name="parts"/> joined with <see cref="Separator"/>, without doubling one already there.</summary>
        public string Join(params string[] parts)
        {
            var joined = "";
            foreach (var part in parts.Where(p => !string.IsNullOrEmpty(p)))
                joined = joined == "" || IsSeparator(joined[joined.Length - 1]) ? joined + part : joined + Separator + part;
            return joined;
        }

        /// <summary>
        /// <paramref name="path"/> with a leading `~` (alone, or before a separator) replaced by <see cref="UserHome"/>,
        /// as a shell would; other paths as they are.
        /// </summary>
        public string ExpandHome(string path)
        {
            if (path == "~")
                return UserHome;
            if (path.Length > 1 && path[0] == '~' && IsSeparator(path[1]))
                return Join(UserHome, path.Substring(2).TrimStart('/', '\\'));
            return path;
        }

        /// <summary>Whether <paramref name="c"/> separates folders here (Windows takes both slashes).</summary>
        public bool IsSeparator(char c) => c == '/' || (c == '\\' && Platform == HostPlatform.Windows);

        /// <summary>The folder part of <paramref name="path"/> ("" when it has none).</summary>
        public string FolderOf(string path)
        {
            var end = path.Length - 1;
            while (end >= 0 && !IsSeparator(path[end]))
                end--;
            return end <= 0 ? (end == 0 ? path.Substring(0, 1) : "") : path.Substring(0, end);
        }

        /// <summary>The folders of PATH in order, empty entries (the current folder) left out, quotes removed.</summary>
        public IReadOnlyList<string> PathFolders()
        {
            return Variable("PATH").Split(PathListSeparator).Select(folder => folder.Trim().Trim('"')).Where(folder => folder != "").ToList();
        }

        [DllImport("libc", SetLastError = true)]
        static extern int access(string path, int mode);

        static bool Executable(string path)
        {
            try
            {
                return access(path, k_ExecuteAccess) == 0;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return File.Exists(path); // no C library to ask (Windows): an existing file is taken as runnable
            }
        }

        static IEnumerable<string> ListFolders(string folder)
        {
            try
            {
                return Directory.GetDirectories(folder).Select(Path.GetFileName).ToList();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                return new string[0];
            }
        }
    }
}
