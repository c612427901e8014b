// Starts `orfeas daemon --home H` so that it outlives the editor, and watches it come up (DaemonFinder finds the
// command; the window polls Check on the editor's update). The daemon's output goes to a log in its home, never to
// a pipe: a pipe to the editor would break when the editor quits and take the daemon down on its next write.
//   POSIX:   /bin/sh -c '… setsid nohup "$@" >>"$log" 2>&1 </dev/null & echo $!' sh LOG COMMAND daemon --home H
//            (setsid where there is one, Linux: its own session, so a Ctrl-C in the editor's terminal does not reach
//            it; nohup: it ignores the terminal's hangup). The shell exits at once and prints the daemon's pid.
//   Windows: cmd.exe /d /s /c ""%ORFEAS_DAEMON_PROGRAM%" daemon --home "%ORFEAS_DAEMON_HOME%" >>"%ORFEAS_DAEMON_LOG%" 2>&1"
//            in a hidden console. cmd.exe runs a .cmd (npm's orfeas.cmd) and stays as the daemon's parent; Windows
//            does not end a process's children when it exits, so neither goes with the editor.
using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>One start of the daemon, from <see cref="Start"/> until <see cref="Check"/> sees it up or gone.</summary>
    public sealed class DaemonLauncher
    {
        /// <summary>The file in the home that collects the output of the daemons the editors start (Blender's add-on too).</summary>
        public const string k_LogName = "daemon-start.log";

        /// <summary>The code of a start that failed (also when no command is found).</summary>
        public const string k_Code = "E_DAEMON_START";

        /// <summary>How long a start may take by default before it is given up.</summary>
        public static readonly TimeSpan k_Patience = TimeSpan.FromSeconds(30);

        const string k_PosixScript = "log=$1; shift; (umask 077; mkdir -p \"${log%/*}\" && : >>\"$log\"); "
            + "s=; command -v setsid >/dev/null 2>&1 && s=setsid; $s nohup \"$@\" >>\"$log\" 2>&1 </dev/null & echo $!";

        readonly string m_TokenBefore;
        readonly long m_LogStart;
        readonly TimeSpan m_Patience;
        readonly DateTime m_Deadline;
        readonly Process m_Shell;
        readonly Task<string> m_PidLine;
        readonly bool m_Windows;

        DaemonLauncher(string home, string log, long logStart, string tokenBefore, TimeSpan patience, Process shell, bool windows)
        {
            Home = home;
            Log = log;
            m_LogStart = logStart;
            m_TokenBefore = tokenBefore;
            m_Patience = patience;
            m_Deadline = DateTime.UtcNow + patience;
            m_Shell = shell;
            m_Windows = windows;
            if (!windows)
                m_PidLine = shell.StandardOutput.ReadLineAsync();
        }

        /// <summary>The home folder the daemon was started for.</summary>
        public string Home { get; }

        /// <summary>The log its output goes to (<see cref="k_LogName"/> in <see cref="Home"/>).</summary>
        public string Log { get; }

        /// <summary>The log of a daemon started for <paramref name="home"/>.</summary>
        public static string LogFor(string home, HostMachine machine) => machine.Join(home, k_LogName);

        /// <summary>
        /// What runs <paramref name="command"/> `daemon --home` <paramref name="home"/> (then <paramref name="extra"/>
        /// arguments) detached, its output appended to <see cref="LogFor"/>. The folder of the program (the command, or
        /// the Node that runs it) goes first on the child's PATH, so that an `orfeas` whose first line is
        /// `#!/usr/bin/env node` finds the Node installed beside it.
        /// </summary>
        public static ProcessStartInfo StartInfo(DaemonCommand command, string home, HostMachine machine, params string[] extra)
        {
            home = Unslashed(home, machine);
            extra = extra ?? new string[0];
            var log = LogFor(home, machine);
            ProcessStartInfo start;
            if (machine.Platform == HostPlatform.Windows)
            {
                var comSpec = machine.Variable("ComSpec");
                start = new ProcessStartInfo(comSpec != "" ? comSpec : "cmd.exe", WindowsArguments(command, extra.Length));
                // The values go in variables: cmd.exe expands %NAME% even between quotes and has no escape there, but
                // what a variable expands to is not read again, whatever a path holds.
                if (command.Node != null)
                    start.EnvironmentVariables["ORFEAS_DAEMON_NODE"] = command.Node;
                start.EnvironmentVariables["ORFEAS_DAEMON_PROGRAM"] = command.Path;
                start.EnvironmentVariables["ORFEAS_DAEMON_HOME"] = home;
                for (var i = 0; i < extra.Length; i++)
                    start.EnvironmentVariables["ORFEAS_DAEMON_ARG" + i] = extra[i];
                start.EnvironmentVariables["ORFEAS_DAEMON_LOG"] = log;
            }
            else
            {
                var words = new[] { "-c", k_PosixScript, "sh", log }.Concat(command.Program).Concat(new[] { "daemon", "--home", home }).Concat(extra);
                start = new ProcessStartInfo("/bin/sh", string.Join(" ", words.Select(QuotePosix)));
                start.RedirectStandardOutput = true; // the shell's own: the pid it prints; it ends when the shell does
            }
            start.UseShellExecute = false;
            start.CreateNoWindow = true;
            var path = WithFolder(machine, machine.FolderOf(command.Program[0]));
            if (path != machine.Variable("PATH"))
                start.EnvironmentVariables["PATH"] = path;
            return start;
        }

        /// <summary>
        /// Starts the daemon of <paramref name="home"/> with <paramref name="command"/>; <see cref="Check"/> then says when it is
        /// up. Throws <see cref="OrfeasException"/> (<see cref="k_Code"/>) when the shell itself cannot be started.
        /// </summary>
        public static DaemonLauncher Start(DaemonCommand command, string home, HostMachine machine, TimeSpan? patience = null, params string[] extra)
        {
            home = Unslashed(home, machine);
            var windows = machine.Platform == HostPlatform.Windows;
            var before = Discovery.Read(home);
            var log = LogFor(home, machine);
            var start = StartInfo(command, home, machine, extra);
            try
            {
                if (windows)
                    Directory.CreateDirectory(home); // for cmd.exe's >> (the POSIX script makes it, private)
                var logStart = File.Exists(log) ? new FileInfo(log).Length : 0; // what earlier starts wrote
                var shell = Process.Start(start);
                return new DaemonLauncher(home, log, logStart, before?.Token, patience ?? k_Patience, shell, windows);
            }
            catch (Exception e) when (e is Win32Exception || e is IOException || e is UnauthorizedAccessException || e is InvalidOperationException)
            {
                throw new OrfeasException(k_Code, $"Could not start the Orfeas daemon with {start.FileName}: {e.Message}");
            }
        }

        /// <summary>
        /// The new daemon once its discovery file names it and its process lives; null while it is starting. Throws
        /// <see cref="OrfeasException"/> (<see cref="k_Code"/>) with the end of its log when it stopped or took too long.
        /// </summary>
        public DaemonInfo Check()
        {
            var stopped = Stopped();
            var found = Discovery.Read(Home);
            if (found != null && found.Token != m_TokenBefore && Discovery.ProcessAlive(found.Pid))
                return found;
            if (stopped)
                throw new OrfeasException(k_Code, $"The Orfeas daemon stopped before it was ready. {Tail(Log, m_LogStart)}");
            if (DateTime.UtcNow > m_Deadline)
                throw new OrfeasException(k_Code, $"The Orfeas daemon did not start within {m_Patience.TotalSeconds:0} s. {Tail(Log, m_LogStart)}");
            return null;
        }

        /// <summary>A sentence with the last lines <paramref name="log"/> got after its first <paramref name="from"/> bytes.</summary>
        public static string Tail(string log, long from = 0, int count = 5)
        {
            string[] lines;
            try
            {
                using (var file = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    file.Seek(Math.Min(from, file.Length), SeekOrigin.Begin);
                    using (var reader = new StreamReader(file, Encoding.UTF8))
                        lines = reader.ReadToEnd().Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Trim() != "").ToArray();
                }
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                return $"Nothing was written to {log}: check that the home folder can be written.";
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return "";
            }
            return lines.Length == 0 ? $"It wrote nothing to {log}." : $"The end of {log}: {string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - count)))}";
        }

        /// <summary>Quotes one argument for Mono's parsing of ProcessStartInfo.Arguments on POSIX (a shell's double quotes).</summary>
        public static string QuotePosix(string argument) => "\"" + argument.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

        // Whether the process started (POSIX: the pid the shell printed; Windows: cmd.exe, the daemon's parent) is gone.
        bool Stopped()
        {
            if (m_Windows)
                return m_Shell.HasExited;
            if (!m_PidLine.IsCompleted)
                return false;
            if (m_PidLine.Status != TaskStatus.RanToCompletion || !int.TryParse(m_PidLine.Result?.Trim(), out var pid))
                return true; // the shell printed no pid: it could not run the command
            return !Discovery.ProcessAlive(pid);
        }

        // /s: cmd.exe drops the first and the last quote and runs what is between as typed.
        static string WindowsArguments(DaemonCommand command, int extra)
        {
            var words = new List<string>();
            if (command.Node != null)
                words.Add("\"%ORFEAS_DAEMON_NODE%\"");
            words.Add("\"%ORFEAS_DAEMON_PROGRAM%\" daemon --home \"%ORFEAS_DAEMON_HOME%\"");
            words.AddRange(Enumerable.Range(0, extra).Select(i => $"\"%ORFEAS_DAEMON_ARG{i}%\""));
            return $"/d /s /c \"{string.Join(" ", words)} >>\"%ORFEAS_DAEMON_LOG%\" 2>&1\"";
        }

        // PATH with this folder in front, unless it is in it already.
        static string WithFolder(HostMachine machine, string folder)
        {
            var path = machine.Variable("PATH");
            var comparison = machine.Platform == HostPlatform.Windows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (folder == "" || machine.PathFolders().Any(f => string.Equals(f.TrimEnd('/', '\\'), folder, comparison)))
                return path;
            return path == "" ? folder : folder + machine.PathListSeparator + path;
        }

        // A folder without a trailing separator, which would escape the closing quote of a Windows argument (a drive's
        // root becomes C:\.).
        static string Unslashed(string home, HostMachine machine)
        {
            var end = home.Length;
            while (end > 0 && machine.IsSeparator(home[end - 1]))
                end--;
            if (end == 0)
                return home == "" ? "" : home.Substring(0, 1);
            var trimmed = home.Substring(0, end);
            return machine.Platform == HostPlatform.Windows && trimmed.EndsWith(":") ? trimmed + "\\." : trimmed;
        }
    }
}
