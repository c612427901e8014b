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

        /// <summary>The home folder: <paramref name="overrideHome"/> when set, else ORFEAS_HOME, else ~/.orfeas (as the daemon decides).</summary>
        public static string OrfeasHome(string overrideHome)
        {
            var home = !string.IsNullOrEmpty(overrideHome) ? overrideHome : Environment.GetEnvironmentVariable("ORFEAS_HOME");
            if (string.IsNullOrEmpty(home))
                home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".orfeas");
            return Path.GetFullPath(home);
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

        /// <summary>Whether a process with this pid exists.</summary>
        public static bool ProcessAlive(int pid)
        {
            if (pid <= 0)
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
