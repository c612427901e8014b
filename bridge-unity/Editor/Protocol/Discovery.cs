// Finding the daemon (PROTOCOL.md § Finding): the home folder, its discovery file daemon.json (port and token) and
// whether the process that wrote it is still alive. No network here: DaemonConnection connects.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Reads the discovery file of a daemon home.</summary>
    public static class Discovery
    {
        /// <summary>What to tell a user who has no daemon running.</summary>
        public const string k_StartHint = "Start it with `orfeas daemon` (or `npm start` in an Orfeas checkout), or open VS Code with the "
            + "Orfeas extension, which starts it; the bridge connects as soon as it is up.";

        /// <summary>The home folder of this machine's daemon (<see cref="OrfeasHome(string, HostMachine)"/>).</summary>
        public static string OrfeasHome(string overrideHome) => OrfeasHome(overrideHome, HostMachine.Current());

        /// <summary>
        /// The home folder as the daemon decides it: <paramref name="overrideHome"/> when set, else ORFEAS_HOME, else
        /// .orfeas in Node's os.homedir() (USERPROFILE on Windows, HOME elsewhere); a leading `~` is the user's home.
        /// </summary>
        public static string OrfeasHome(string overrideHome, HostMachine machine)
        {
            var home = (overrideHome ?? "").Trim();
            if (home == "")
                home = machine.Variable("ORFEAS_HOME");
            if (home == "")
                home = machine.Join(machine.UserHome, ".orfeas");
            return machine.FullPath(machine.ExpandHome(home));
        }

        /// <summary>The discovery file's contents, or null when it is missing or unreadable.</summary>
        public static DaemonInfo Read(string home)
        {
            try
            {
                var value = Json.Parse(File.ReadAllText(Path.Combine(home, "daemon.json"))) as IDictionary<string, object>;
                if (value == null || !(value.TryGetValue("port", out var port) && port is double) || !(value.TryGetValue("token", out var token) && token is string))
                    return null;
                return new DaemonInfo
                {
                    Version = value.TryGetValue("version", out var version) ? version as string ?? "" : "",
                    Pid = value.TryGetValue("pid", out var pid) && pid is double ? (int)(double)pid : 0,
                    Port = (int)(double)port,
                    Token = (string)token,
                    StartedAt = value.TryGetValue("startedAt", out var started) ? started as string ?? "" : "",
                };
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is FormatException)
            {
                return null;
            }
        }

        /// <summary>Whether a process with this pid exists and has not ended (a zombie waiting for its parent has).</summary>
        public static bool ProcessAlive(int pid)
        {
            if (pid <= 0 || Zombie(pid))
                return false;
            try
            {
                using (var process = Process.GetProcessById(pid))
                    return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        // Linux keeps an ended process as a zombie until its parent waits for it; a daemon started detached has init as
        // its parent, and an init that does not wait (some containers) would keep it "running" for ever.
        static bool Zombie(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var state = stat.Substring(stat.LastIndexOf(')') + 1).TrimStart();
                return state.StartsWith("Z") || state.StartsWith("X");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                return false; // no /proc (macOS, Windows) or no such process: GetProcessById decides
            }
        }

        /// <summary>The running daemon of <paramref name="home"/>; throws E_CONNECTION with what to do when there is none.</summary>
        public static DaemonInfo Find(string home)
        {
            var found = Read(home);
            if (found == null)
                throw new OrfeasException("E_CONNECTION", $"The Orfeas daemon is not running (no daemon.json in {home}). {k_StartHint}");
            if (!ProcessAlive(found.Pid))
                throw new OrfeasException("E_CONNECTION", $"The Orfeas daemon is not running (the one that wrote {Path.Combine(home, "daemon.json")}, pid {found.Pid}, has stopped). {k_StartHint}");
            return found;
        }
    }
}
