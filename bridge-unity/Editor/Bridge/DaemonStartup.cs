// The window's Start daemon button: whether this machine's daemon is missing, which command would start it
// (DaemonFinder, looked up again every few seconds and when the setting changes), and one start under way, watched on
// EditorApplication.update (never blocking the editor) until the bridge is connected to it or the start failed.
using System;
using Orfeas.Bridge.Protocol;
using UnityEditor;

namespace Orfeas.Bridge.Editor
{
    /// <summary>Finds and starts the local daemon for the Orfeas window.</summary>
    static class DaemonStartup
    {
        static readonly TimeSpan k_LookEvery = TimeSpan.FromSeconds(5);
        static readonly TimeSpan k_CheckEvery = TimeSpan.FromSeconds(0.25);

        static DaemonCommand s_Command;
        static string s_Problem = "";
        static string s_FoundFor;
        static DateTime s_FoundAt;
        static string s_MissingFor;
        static bool s_Missing;
        static DateTime s_MissingAt;

        static DaemonLauncher s_Launch;
        static DaemonInfo s_Started;
        static DateTime s_Deadline;
        static DateTime s_CheckedAt;

        /// <summary>Whether a start is under way.</summary>
        public static bool Starting => s_Launch != null;

        /// <summary>Why the last start failed, with the end of the daemon's output; "" when it did not.</summary>
        public static string Failure { get; private set; } = "";

        /// <summary>
        /// Whether no daemon answers for <paramref name="home"/> (the settings' home): no live discovery file and no
        /// connection. Looked at again once a second at most.
        /// </summary>
        public static bool Missing(string home)
        {
            var connection = OrfeasBridge.Connection;
            if (connection != null && connection.State == ConnectionState.Connected)
                return false;
            if (home == s_MissingFor && DateTime.UtcNow - s_MissingAt < TimeSpan.FromSeconds(1))
                return s_Missing;
            DaemonInfo found;
            try
            {
                found = Discovery.Read(Resolve(home));
            }
            catch (OrfeasException)
            {
                found = null; // a home that is no path has no daemon; Start says what is wrong with it
            }
            s_Missing = found == null || !Discovery.ProcessAlive(found.Pid);
            s_MissingFor = home;
            s_MissingAt = DateTime.UtcNow;
            return s_Missing;
        }

        /// <summary>The command the button would run, or null with <paramref name="problem"/> saying how to get one.</summary>
        public static DaemonCommand Find(out string problem)
        {
            var setting = OrfeasSettings.Command;
            if (setting != s_FoundFor || DateTime.UtcNow - s_FoundAt > k_LookEvery)
            {
                s_Command = DaemonFinder.Find(setting, HostMachine.Current(), out s_Problem);
                s_FoundFor = setting;
                s_FoundAt = DateTime.UtcNow;
            }
            problem = s_Problem ?? "";
            return s_Command;
        }

        /// <summary>
        /// Starts the daemon of <paramref name="home"/> (the settings' home) detached, so it outlives Unity, and connects
        /// to it once it is up. Throws <see cref="OrfeasException"/> when there is no command or it cannot be started.
        /// </summary>
        public static void Start(string home)
        {
            if (Starting)
                return;
            var command = Find(out var problem);
            if (command == null)
                throw new OrfeasException(DaemonLauncher.k_Code, problem);
            Failure = "";
            s_Launch = DaemonLauncher.Start(command, Resolve(home), HostMachine.Current());
            s_Started = null;
            s_Deadline = DateTime.UtcNow + DaemonLauncher.k_Patience;
            EditorApplication.update += Watch;
            OrfeasBridge.Say($"Starting the daemon with {command}…");
        }

        static void Watch()
        {
            if (DateTime.UtcNow - s_CheckedAt < k_CheckEvery)
                return;
            s_CheckedAt = DateTime.UtcNow;
            var connection = OrfeasBridge.Connection;
            if (s_Started != null && connection != null && connection.State == ConnectionState.Connected)
            {
                Finish(null);
                return;
            }
            try
            {
                if (s_Started == null)
                {
                    s_Started = s_Launch.Check();
                    if (s_Started != null)
                        OrfeasBridge.Configure(); // connect now rather than at the next retry, which may be 30 s away
                }
                else if (DateTime.UtcNow > s_Deadline)
                    Finish($"The Orfeas daemon started (pid {s_Started.Pid}), but the bridge could not connect to it: {connection?.StateMessage}");
            }
            catch (OrfeasException error)
            {
                Finish($"{error.Message} [{error.Code}]");
            }
        }

        static void Finish(string failure)
        {
            EditorApplication.update -= Watch;
            var log = s_Launch.Log;
            s_Launch = null;
            s_MissingFor = null;
            Failure = failure ?? "";
            if (failure != null)
                OrfeasBridge.Say(failure, true);
            else
                OrfeasBridge.Say($"Started the Orfeas daemon (pid {s_Started.Pid}); it keeps running when Unity closes. Its output goes to {log}.");
        }

        // The home folder the daemon is started for and looked for in: the setting, else ORFEAS_HOME, else ~/.orfeas.
        static string Resolve(string home)
        {
            try
            {
                return Discovery.OrfeasHome(home);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is System.IO.PathTooLongException)
            {
                throw new OrfeasException("E_SETTINGS", $"The Orfeas home \"{home}\" is not a folder path this system accepts: {e.Message}");
            }
        }
    }
}
