// DaemonLauncher with real processes: Mono's parsing of the quoted arguments, a command that fails at once (the
// log's end says why), and a real start of the daemon through an `orfeas` script found on PATH, which this process
// leaves running: test/bridges/unity.test.ts writes the script (ORFEAS_TEST_START_BIN, its folder) and names the home
// (ORFEAS_TEST_START_HOME), then checks after this process has exited that the daemon still answers, and stops it.
// Without those two variables the real start is left out.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    static class StartTests
    {
        const string k_Group = "start";
        static readonly TimeSpan k_Patience = TimeSpan.FromSeconds(120); // a busy machine; the outcome ends the wait

        public static void Register(TestRun run)
        {
            run.Test(k_Group, "Mono gives /bin/sh each quoted argument as it was", () =>
            {
                var arguments = new[] { "a b", "", "quote\"d", "back\\slash\\", "$HOME and `id`", "it's", "tab\there", "%PATH%", "ünï" };
                var start = new ProcessStartInfo("/bin/sh", string.Join(" ", new[] { "-c", "printf '[%s]\\n' \"$@\"", "sh" }.Concat(arguments).Select(DaemonLauncher.QuotePosix)))
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = true,
                };
                using (var shell = Process.Start(start))
                {
                    var output = shell.StandardOutput.ReadToEnd();
                    shell.WaitForExit();
                    Assert.Equal(string.Concat(arguments.Select(a => $"[{a}]\n")), output, "the arguments the shell got");
                }
            });

            run.Test(k_Group, "a command that stops at once: the start fails with the end of its log, in a new private home", () =>
            {
                var temp = TestDaemon.TempDir("orfeas-cs-start-");
                var bin = Path.Combine(temp, "a bin");
                Directory.CreateDirectory(bin);
                WriteScript(Path.Combine(bin, "orfeas"), "#!/bin/sh\necho \"orfeas: cannot start: the port is in use ($*)\" >&2\nexit 3\n");
                var home = Path.Combine(temp, "new home", "orfeas");
                var machine = OnPath(bin);
                var command = DaemonFinder.Find("", machine, out var problem);
                Assert.Equal(Path.Combine(bin, "orfeas"), command?.Path, $"found on PATH ({problem})");
                var launcher = DaemonLauncher.Start(command, home, machine, k_Patience);
                var error = Assert.Throws<OrfeasException>(() => Wait(launcher), "waiting for it");
                Assert.Equal("E_DAEMON_START", error.Code, "code");
                Assert.True(error.Message.StartsWith("The Orfeas daemon stopped before it was ready."), error.Message);
                Assert.True(error.Message.Contains($"orfeas: cannot start: the port is in use (daemon --home {home})"), error.Message);
                Assert.Equal(Path.Combine(home, "daemon-start.log"), launcher.Log, "log");
                Assert.Equal("drwx------", Run("ls", "-ld", home).Split(' ')[0].TrimEnd('.', '+'), "the home is made private");

                WriteScript(Path.Combine(bin, "orfeas"), "#!/bin/sh\necho 'orfeas: second try' >&2\nexit 4\n");
                error = Assert.Throws<OrfeasException>(() => Wait(DaemonLauncher.Start(command, home, machine, k_Patience)), "waiting for the second start");
                Assert.True(error.Message.Contains("orfeas: second try") && !error.Message.Contains("port is in use"), $"only this start's output: {error.Message}");
                Assert.True(File.ReadAllText(launcher.Log).Contains("port is in use"), "the log keeps what earlier starts wrote");
                Directory.Delete(temp, true);
            });

            var startBin = Environment.GetEnvironmentVariable("ORFEAS_TEST_START_BIN");
            var startHome = Environment.GetEnvironmentVariable("ORFEAS_TEST_START_HOME");
            if (string.IsNullOrEmpty(startBin) || string.IsNullOrEmpty(startHome))
            {
                Console.WriteLine("left out start: the real start needs ORFEAS_TEST_START_BIN and ORFEAS_TEST_START_HOME (test/bridges/unity.test.ts sets them)");
                return;
            }

            run.Test(k_Group, "starts the daemon detached through `orfeas` on PATH: daemon.json, /health and a connection", () =>
            {
                var machine = OnPath(startBin);
                var command = DaemonFinder.Find("", machine, out var problem);
                Assert.Equal(Path.Combine(startBin, "orfeas"), command?.Path, $"found on PATH ({problem})");
                // Port 0: other daemons of the test run may hold the default port.
                var launcher = DaemonLauncher.Start(command, startHome, machine, k_Patience, "--port", "0");
                var daemon = Wait(launcher);
                Assert.True(Discovery.ProcessAlive(daemon.Pid), "its process lives");
                var request = (HttpWebRequest)WebRequest.Create($"http://127.0.0.1:{daemon.Port}/health");
                request.Timeout = 30000;
                using (var response = (HttpWebResponse)request.GetResponse())
                using (var reader = new StreamReader(response.GetResponseStream()))
                {
                    Assert.Equal(200, (int)response.StatusCode, "/health status");
                    Assert.Equal(true, ((IDictionary<string, object>)Json.Parse(reader.ReadToEnd()))["ok"], "/health ok");
                }
                using (var connection = new DaemonConnection("unity", "0.1.0", new string[0], startHome))
                {
                    connection.Start();
                    Assert.True(connection.WaitConnected(TimeSpan.FromSeconds(60)), connection.StateMessage);
                    Assert.Equal(daemon.Port, connection.Port, "the bridge connects to it");
                }
                Console.WriteLine($"started daemon pid {daemon.Pid} on port {daemon.Port}, left running");
            });
        }

        // Checks until the launcher has an answer: the daemon, or its exception.
        static DaemonInfo Wait(DaemonLauncher launcher)
        {
            for (;;)
            {
                var daemon = launcher.Check();
                if (daemon != null)
                    return daemon;
                Thread.Sleep(100);
            }
        }

        // This machine with `folder` first on its PATH.
        static HostMachine OnPath(string folder)
        {
            var machine = HostMachine.Current();
            return machine.With(new Dictionary<string, string> { { "PATH", folder + ":" + machine.Variable("PATH") } });
        }

        static void WriteScript(string path, string text)
        {
            File.WriteAllText(path, text);
            Run("chmod", "755", path);
        }

        static string Run(string program, params string[] arguments)
        {
            var start = new ProcessStartInfo(program, string.Join(" ", arguments.Select(DaemonLauncher.QuotePosix))) { UseShellExecute = false, RedirectStandardOutput = true };
            using (var process = Process.Start(start))
            {
                var output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                Assert.Equal(0, process.ExitCode, $"{program} {string.Join(" ", arguments)}");
                return output;
            }
        }
    }
}
