// Finding the `orfeas` command for the window's Start daemon button, on made-up Windows, macOS and Linux machines
// (DaemonFinder): the setting, then PATH (PATHEXT on Windows, the executable bit elsewhere), then VS Code's Orfeas
// extension, newest first; and the command lines DaemonLauncher starts it with on each platform.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    static class LaunchTests
    {
        const string k_Group = "launch";
        const string k_Npm = @"C:\Users\ana\AppData\Roaming\npm";
        const string k_NodeJs = @"C:\Program Files\nodejs";

        // The POSIX script as Mono's parsing of Arguments wants it: in double quotes, with \" for each quote.
        const string k_PosixScript = "\"log=$1; shift; (umask 077; mkdir -p \\\"${log%/*}\\\" && : >>\\\"$log\\\"); "
            + "s=; command -v setsid >/dev/null 2>&1 && s=setsid; $s nohup \\\"$@\\\" >>\\\"$log\\\" 2>&1 </dev/null & echo $!\"";

        public static void Register(TestRun run)
        {
            run.Test(k_Group, "the install sentence names the three ways", () =>
            {
                Assert.Equal("Install the Orfeas daemon: `npm install -g orfeas` (Node.js 20 or newer from nodejs.org), or install the Orfeas extension in VS Code, "
                    + "or set the command's path in Orfeas settings.", DaemonFinder.k_InstallHint, "sentence");
                foreach (var platform in new[] { HostPlatform.Windows, HostPlatform.MacOS, HostPlatform.Linux })
                {
                    var home = platform == HostPlatform.Windows ? @"C:\Users\ana" : "/home/ana";
                    var machine = new TestFiles(platform).Machine(Variables("PATH", platform == HostPlatform.Windows ? k_NodeJs : "/usr/bin:/bin", "HOME", home, "USERPROFILE", home));
                    Assert.Equal(null, DaemonFinder.Find("", machine, out var problem), $"{platform}: nothing found");
                    Assert.Equal(DaemonFinder.k_InstallHint, problem, $"{platform}: what to do");
                }
            });

            run.Test(k_Group, "Windows: PATH with PATHEXT finds npm's orfeas.cmd, not its sh script or orfeas.ps1", () =>
            {
                var files = new TestFiles(HostPlatform.Windows)
                    .Add(k_Npm + @"\orfeas").Add(k_Npm + @"\orfeas.ps1").Add(k_Npm + @"\orfeas.cmd").Add(k_NodeJs + @"\node.exe");
                var machine = files.Machine(Variables("Path", $@"C:\Windows\system32;""{k_NodeJs}"";;{k_Npm}\", "PATHEXT", ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC;.PS1", "USERPROFILE", @"C:\Users\ana"));
                var command = DaemonFinder.Find("", machine, out var problem);
                Assert.Equal(k_Npm + @"\orfeas.cmd", command?.Path, $"command ({problem})");
                Assert.Equal(null, command.Node, "it runs by itself (through cmd.exe)");
                Assert.Equal("the PATH", command.Origin, "origin");
                Assert.Equal(k_NodeJs + @"\node.exe", DaemonFinder.Search(machine, "node", out _), "node.exe from a quoted PATH folder");

                files.Add(@"C:\Tools\orfeas.exe").Add(@"C:\Tools\orfeas.cmd").Add(@"C:\Scripts\orfeas.js");
                var earlier = files.Machine(Variables("PATH", $@"C:\Scripts;C:\Tools;{k_Npm}", "PATHEXT", ".JS;.CMD;.EXE", "USERPROFILE", @"C:\Users\ana"));
                Assert.Equal(@"C:\Tools\orfeas.cmd", DaemonFinder.Find("", earlier, out _)?.Path, "folders in PATH order, PATHEXT's order within one, .JS not run");
                var noPathExt = files.Machine(Variables("PATH", $@"C:\Tools;{k_Npm}", "USERPROFILE", @"C:\Users\ana"));
                Assert.Equal(@"C:\Tools\orfeas.exe", DaemonFinder.Find("", noPathExt, out _)?.Path, "without PATHEXT: .COM;.EXE;.BAT;.CMD");
            });

            run.Test(k_Group, "POSIX: PATH finds the first executable file named orfeas", () =>
            {
                var files = new TestFiles(HostPlatform.Linux).Add("/opt/a/orfeas", false).Add("/opt/b/orfeas.cjs").Add("/usr/local/bin/orfeas").Add("/home/ana/.local/bin/orfeas");
                var machine = files.Machine(Variables("PATH", "::/opt/a:/opt/b:/usr/local/bin:/home/ana/.local/bin", "HOME", "/home/ana"));
                var command = DaemonFinder.Find("", machine, out var problem);
                Assert.Equal("/usr/local/bin/orfeas", command?.Path, $"command ({problem})");
                Assert.Equal("the PATH", command.Origin, "origin");
            });

            run.Test(k_Group, "macOS: Homebrew's folders too, which an app opened from the Dock does not have on its PATH", () =>
            {
                var files = new TestFiles(HostPlatform.MacOS).Add("/opt/homebrew/bin/orfeas").Add("/opt/homebrew/bin/node");
                var dock = Variables("PATH", "/usr/bin:/bin:/usr/sbin:/sbin", "HOME", "/Users/ana");
                var command = DaemonFinder.Find("", files.Machine(dock), out var problem);
                Assert.Equal("/opt/homebrew/bin/orfeas", command?.Path, $"command ({problem})");
                Assert.Equal("/opt/homebrew/bin", command.Origin, "origin");
                var linux = new TestFiles(HostPlatform.Linux).Add("/opt/homebrew/bin/orfeas").Machine(dock);
                Assert.Equal(null, DaemonFinder.Find("", linux, out _), "not on Linux");
            });

            run.Test(k_Group, "the setting wins over PATH: a command, a script run with node, npm's name without .cmd on Windows", () =>
            {
                var posix = new TestFiles(HostPlatform.Linux).Add("/usr/bin/orfeas").Add("/usr/bin/node").Add("/opt/orfeas/orfeas").Add("/src/orfeas/dist/orfeas.cjs", false);
                var machine = posix.Machine(Variables("PATH", "/usr/bin", "HOME", "/home/ana"));
                var command = DaemonFinder.Find(" /opt/orfeas/orfeas ", machine, out var problem);
                Assert.Equal("/opt/orfeas/orfeas (from Orfeas settings)", command?.ToString(), $"command ({problem})");
                command = DaemonFinder.Find("\"/src/orfeas/dist/orfeas.cjs\"", machine, out problem);
                Assert.Equal("/src/orfeas/dist/orfeas.cjs", command?.Path, $"script ({problem})");
                Assert.Equal("/usr/bin/node", command.Node, "its node");
                Assert.Equal(new[] { "/usr/bin/node", "/src/orfeas/dist/orfeas.cjs" }, command.Program, "program");

                var windows = new TestFiles(HostPlatform.Windows).Add(k_Npm + @"\orfeas").Add(k_Npm + @"\orfeas.cmd").Add(@"C:\Tools\orfeas.exe");
                var onWindows = windows.Machine(Variables("PATH", @"C:\Tools", "USERPROFILE", @"C:\Users\ana"));
                Assert.Equal(k_Npm + @"\orfeas.cmd", DaemonFinder.Find(k_Npm + @"\orfeas", onWindows, out problem)?.Path, $"npm's sh script means its .cmd ({problem})");
                Assert.Equal(k_Npm + @"\orfeas.cmd", DaemonFinder.Find(@"~\AppData\Roaming\npm\orfeas.cmd", onWindows, out problem)?.Path, $"~ ({problem})");
            });

            run.Test(k_Group, "a setting that cannot be used says why and is not passed over", () =>
            {
                var files = new TestFiles(HostPlatform.Linux).Add("/usr/bin/orfeas").Add("/opt/orfeas/orfeas", false).Add("/opt/orfeas/orfeas.cjs");
                var machine = files.Machine(Variables("PATH", "/usr/bin", "HOME", "/home/ana"));
                Assert.Equal(null, DaemonFinder.Find("/opt/missing/orfeas", machine, out var problem), "missing");
                Assert.Equal("The Orfeas command in Orfeas settings, /opt/missing/orfeas, is not a file. Set the path of orfeas, orfeas.cmd or orfeas.cjs, "
                    + "or clear it to use the one on the PATH or in VS Code's Orfeas extension.", problem, "missing: sentence");
                Assert.Equal(null, DaemonFinder.Find("/opt/orfeas/orfeas", machine, out problem), "not executable");
                Assert.True(problem.Contains("/opt/orfeas/orfeas, is not executable") && problem.Contains("chmod +x"), problem);
                Assert.Equal(null, DaemonFinder.Find("/opt/orfeas/orfeas.cjs", machine, out problem), "a script without node");
                Assert.True(problem.StartsWith("Found /opt/orfeas/orfeas.cjs (from Orfeas settings), which needs Node.js") && problem.Contains("Node.js 20 or newer from nodejs.org"), problem);
                var windows = new TestFiles(HostPlatform.Windows).Add(k_Npm + @"\orfeas.ps1").Machine(Variables("USERPROFILE", @"C:\Users\ana"));
                Assert.Equal(null, DaemonFinder.Find(k_Npm + @"\orfeas.ps1", windows, out problem), "a PowerShell script");
                Assert.True(problem.Contains("is not a program Windows runs"), problem);
            });

            run.Test(k_Group, "VS Code extensions: the newest orfeas.orfeas-<version>[-<platform>] of every flavour, for this platform", () =>
            {
                var files = new TestFiles(HostPlatform.MacOS)
                    .Add("/Users/ana/.vscode/extensions/orfeas.orfeas-0.1.0/dist/orfeas.cjs")
                    .Add("/Users/ana/.vscode/extensions/orfeas.orfeas-0.9.9/dist/orfeas.cjs")
                    .Add("/Users/ana/.vscode-insiders/extensions/orfeas.orfeas-0.10.2-darwin-arm64/dist/orfeas.cjs")
                    .Add("/Users/ana/.vscode-oss/extensions/orfeas.orfeas-1.0.0-win32-x64/dist/orfeas.cjs")
                    .Add("/Users/ana/.vscode-server/extensions/orfeas.orfeas-2.0.0/package.json")
                    .Add("/Users/ana/.local/share/code-server/extensions/someone.orfeas-9.0.0/dist/orfeas.cjs")
                    .Add("/Users/ana/.local/share/code-server/extensions/orfeas.orfeas-0.10.1/dist/orfeas.cjs")
                    .Add("/usr/local/bin/node");
                var machine = files.Machine(Variables("PATH", "/usr/bin:/bin", "HOME", "/Users/ana"));
                var command = DaemonFinder.Find("", machine, out var problem);
                Assert.Equal("/Users/ana/.vscode-insiders/extensions/orfeas.orfeas-0.10.2-darwin-arm64/dist/orfeas.cjs", command?.Path,
                    $"0.10.2 beats 0.10.1 and 0.9.9; 1.0.0 is for Windows, 2.0.0 has no orfeas.cjs, someone.orfeas is another extension ({problem})");
                Assert.Equal("/usr/local/bin/node", command.Node, "run with node");
                Assert.Equal("the Orfeas extension 0.10.2 for VS Code", command.Origin, "origin");

                files.Add("/usr/bin/orfeas");
                Assert.Equal("/usr/bin/orfeas", DaemonFinder.Find("", machine, out _)?.Path, "the PATH comes first");

                var linux = new TestFiles(HostPlatform.Linux).Add("/home/ana/.local/share/code-server/extensions/orfeas.orfeas-0.3.0-linux-x64/dist/orfeas.cjs")
                    .Add("/home/ana/.vscode-server/extensions/orfeas.orfeas-0.2.0-alpine-x64/dist/orfeas.cjs")
                    .Add("/home/ana/.vscode-oss/extensions/orfeas.orfeas-0.4.0-darwin-x64/dist/orfeas.cjs")
                    .Machine(Variables("PATH", "/usr/bin", "HOME", "/home/ana"));
                Assert.Equal(null, DaemonFinder.Find("", linux, out problem), "no node");
                Assert.True(problem.StartsWith("Found /home/ana/.local/share/code-server/extensions/orfeas.orfeas-0.3.0-linux-x64/dist/orfeas.cjs (from the Orfeas extension 0.3.0 for VS Code), which needs Node.js")
                    && problem.Contains("`node` is on the PATH"), problem);

                var windows = new TestFiles(HostPlatform.Windows)
                    .Add(@"C:\Users\ana\.vscode\extensions\orfeas.orfeas-0.3.0-win32-x64\dist\orfeas.cjs")
                    .Add(@"C:\Users\ana\.vscode\extensions\orfeas.orfeas-0.2.9\dist\orfeas.cjs")
                    .Add(k_NodeJs + @"\node.exe")
                    .Machine(Variables("PATH", k_NodeJs, "USERPROFILE", @"C:\Users\ana", "HOME", "/c/Users/ana"));
                command = DaemonFinder.Find("", windows, out problem);
                Assert.Equal(@"C:\Users\ana\.vscode\extensions\orfeas.orfeas-0.3.0-win32-x64\dist\orfeas.cjs", command?.Path, $"Windows ({problem})");
                Assert.Equal(k_NodeJs + @"\node.exe", command.Node, "node.exe");
            });

            run.Test(k_Group, "POSIX start: /bin/sh backgrounds it with setsid and nohup, output to the log, every path quoted", () =>
            {
                var machine = new TestFiles(HostPlatform.Linux).Machine(Variables("PATH", "/usr/bin:/bin", "HOME", "/home/ana"));
                var start = DaemonLauncher.StartInfo(new DaemonCommand("/home/ana/my tools/orfeas", null, "the PATH"), "/home/ana/Orfeas \"home\" $x/", machine);
                Assert.Equal("/bin/sh", start.FileName, "program");
                Assert.Equal($"\"-c\" {k_PosixScript} \"sh\" \"/home/ana/Orfeas \\\"home\\\" $x/daemon-start.log\" \"/home/ana/my tools/orfeas\" \"daemon\" \"--home\" \"/home/ana/Orfeas \\\"home\\\" $x\"",
                    start.Arguments, "arguments");
                CheckDetached(start, true);
                Assert.Equal("/home/ana/my tools:/usr/bin:/bin", start.EnvironmentVariables["PATH"], "the command's folder first on PATH");

                var script = DaemonLauncher.StartInfo(new DaemonCommand("/Users/ana/.vscode/extensions/orfeas.orfeas-0.1.0/dist/orfeas.cjs", "/usr/bin/node", "VS Code"), "/Users/ana/.orfeas", machine, "--port", "0");
                Assert.Equal($"\"-c\" {k_PosixScript} \"sh\" \"/Users/ana/.orfeas/daemon-start.log\" \"/usr/bin/node\" \"/Users/ana/.vscode/extensions/orfeas.orfeas-0.1.0/dist/orfeas.cjs\" \"daemon\" \"--home\" \"/Users/ana/.orfeas\" \"--port\" \"0\"",
                    script.Arguments, "a script after its node, extra arguments last");
                Assert.Equal(Environment.GetEnvironmentVariable("PATH"), script.EnvironmentVariables["PATH"], "node's folder is on PATH already: PATH is left as it is");
            });

            run.Test(k_Group, "Windows start: cmd.exe runs a .cmd with the paths in variables, output appended to the log", () =>
            {
                var machine = new TestFiles(HostPlatform.Windows).Machine(Variables("Path", @"C:\Windows\system32;" + k_NodeJs, "USERPROFILE", @"C:\Users\ana", "ComSpec", @"C:\Windows\system32\cmd.exe"));
                var home = @"C:\Users\ana\Orfeas 100% home";
                var start = DaemonLauncher.StartInfo(new DaemonCommand(k_Npm + @"\orfeas.cmd", null, "the PATH"), home + @"\", machine);
                Assert.Equal(@"C:\Windows\system32\cmd.exe", start.FileName, "program");
                Assert.Equal(@"/d /s /c """"%ORFEAS_DAEMON_PROGRAM%"" daemon --home ""%ORFEAS_DAEMON_HOME%"" >>""%ORFEAS_DAEMON_LOG%"" 2>&1""", start.Arguments, "arguments");
                Assert.Equal(k_Npm + @"\orfeas.cmd", start.EnvironmentVariables["ORFEAS_DAEMON_PROGRAM"], "program variable");
                Assert.Equal(home, start.EnvironmentVariables["ORFEAS_DAEMON_HOME"], "home variable, without the trailing \\ that would escape its closing quote");
                Assert.Equal(home + @"\daemon-start.log", start.EnvironmentVariables["ORFEAS_DAEMON_LOG"], "log variable");
                Assert.Equal(k_Npm + @";C:\Windows\system32;" + k_NodeJs, start.EnvironmentVariables["PATH"], "npm's folder first on PATH");
                CheckDetached(start, false);

                var script = DaemonLauncher.StartInfo(new DaemonCommand(@"C:\Users\ana\.vscode\extensions\orfeas.orfeas-0.3.0-win32-x64\dist\orfeas.cjs", k_NodeJs + @"\node.exe", "VS Code"), @"D:\", machine, "--port", "0");
                Assert.Equal(@"/d /s /c """"%ORFEAS_DAEMON_NODE%"" ""%ORFEAS_DAEMON_PROGRAM%"" daemon --home ""%ORFEAS_DAEMON_HOME%"" ""%ORFEAS_DAEMON_ARG0%"" ""%ORFEAS_DAEMON_ARG1%"" >>""%ORFEAS_DAEMON_LOG%"" 2>&1""",
                    script.Arguments, "node first, extra arguments last");
                Assert.Equal(k_NodeJs + @"\node.exe", script.EnvironmentVariables["ORFEAS_DAEMON_NODE"], "node variable");
                Assert.Equal(@"D:\.", script.EnvironmentVariables["ORFEAS_DAEMON_HOME"], "a drive's root");
                Assert.Equal("--port 0", script.EnvironmentVariables["ORFEAS_DAEMON_ARG0"] + " " + script.EnvironmentVariables["ORFEAS_DAEMON_ARG1"], "extra arguments");
                Assert.Equal("cmd.exe", DaemonLauncher.StartInfo(new DaemonCommand(@"C:\Tools\orfeas.exe", null, "the PATH"), @"C:\h", new TestFiles(HostPlatform.Windows).Machine(Variables())).FileName, "without ComSpec");
            });
        }

        static void CheckDetached(ProcessStartInfo start, bool shellOutput)
        {
            Assert.False(start.UseShellExecute, "UseShellExecute");
            Assert.True(start.CreateNoWindow, "CreateNoWindow");
            Assert.Equal(shellOutput, start.RedirectStandardOutput, "only the POSIX shell's own output (the pid) comes back");
            Assert.False(start.RedirectStandardError, "no pipe for errors");
            Assert.False(start.RedirectStandardInput, "no pipe for input");
        }

        static Dictionary<string, string> Variables(params string[] pairs)
        {
            var values = new Dictionary<string, string>();
            for (var i = 0; i + 1 < pairs.Length; i += 2)
                values[pairs[i]] = pairs[i + 1];
            return values;
        }
    }
}
