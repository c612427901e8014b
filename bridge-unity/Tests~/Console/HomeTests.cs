// The home folder rule on Windows, macOS and Linux (Discovery.OrfeasHome with a HostMachine): the window's setting,
// else ORFEAS_HOME, else .orfeas in Node's os.homedir() — USERPROFILE on Windows, HOME elsewhere — with `~` expanded.
using System;
using System.Collections.Generic;
using System.IO;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    static class HomeTests
    {
        const string k_Group = "home";

        public static void Register(TestRun run)
        {
            // Git Bash and MSYS set HOME on Windows too; Node (and so the daemon) reads USERPROFILE there.
            var windows = Machine(HostPlatform.Windows, "USERPROFILE", @"C:\Users\ana", "HOME", "/c/Users/ana");
            var mac = Machine(HostPlatform.MacOS, "HOME", "/Users/ana", "USERPROFILE", @"C:\Users\someone");
            var linux = Machine(HostPlatform.Linux, "HOME", "/home/ana");

            run.Test(k_Group, "the user's folder: USERPROFILE on Windows, HOME on macOS and Linux, with the platform's separator", () =>
            {
                Assert.Equal(@"C:\Users\ana\.orfeas", Discovery.OrfeasHome("", windows), "Windows");
                Assert.Equal("/Users/ana/.orfeas", Discovery.OrfeasHome(null, mac), "macOS");
                Assert.Equal("/home/ana/.orfeas", Discovery.OrfeasHome("  ", linux), "Linux");
            });

            run.Test(k_Group, "ORFEAS_HOME wins over the user's folder", () =>
            {
                Assert.Equal(@"D:\Orfeas data", Discovery.OrfeasHome("", With(windows, "ORFEAS_HOME", @"D:\Orfeas data")), "Windows");
                Assert.Equal("/Volumes/Work/orfeas", Discovery.OrfeasHome("", With(mac, "ORFEAS_HOME", "/Volumes/Work/orfeas")), "macOS");
                Assert.Equal(@"D:\Orfeas data", Discovery.OrfeasHome("", With(windows, "orfeas_home", @"D:\Orfeas data")), "Windows variable names have no case");
                Assert.Equal("/Users/ana/.orfeas", Discovery.OrfeasHome("", With(mac, "orfeas_home", "/elsewhere")), "POSIX names do");
                Assert.Equal("/Users/ana/.orfeas", Discovery.OrfeasHome("", With(mac, "ORFEAS_HOME", "")), "an empty ORFEAS_HOME is unset");
            });

            run.Test(k_Group, "the window's setting wins over ORFEAS_HOME and the user's folder", () =>
            {
                Assert.Equal(@"E:\Projects\orfeas", Discovery.OrfeasHome(@" E:\Projects\orfeas ", With(windows, "ORFEAS_HOME", @"D:\Orfeas data")), "Windows");
                Assert.Equal("/Users/ana/Art/orfeas", Discovery.OrfeasHome("/Users/ana/Art/orfeas", With(mac, "ORFEAS_HOME", "/Volumes/Work/orfeas")), "macOS");
            });

            run.Test(k_Group, "a leading ~ is the user's folder, in the setting and in ORFEAS_HOME", () =>
            {
                Assert.Equal(@"C:\Users\ana\Orfeas", Discovery.OrfeasHome(@"~\Orfeas", windows), @"~\ on Windows");
                Assert.Equal(@"C:\Users\ana\Orfeas", Discovery.OrfeasHome("~/Orfeas", windows), "~/ on Windows");
                Assert.Equal(@"C:\Users\ana", Discovery.OrfeasHome("~", windows), "~ alone");
                Assert.Equal("/Users/ana/Orfeas", Discovery.OrfeasHome("~/Orfeas", mac), "macOS");
                Assert.Equal("/Users/ana/.cache/orfeas", Discovery.OrfeasHome("", With(mac, "ORFEAS_HOME", "~/.cache/orfeas")), "ORFEAS_HOME");
                Assert.Equal("/srv/~orfeas", Discovery.OrfeasHome("/srv/~orfeas", mac), "a ~ further on is a name");
                Assert.Equal(@"~\Orfeas", Discovery.OrfeasHome(@"~\Orfeas", mac), @"~\ is a name on macOS");
            });

            run.Test(k_Group, "without USERPROFILE or HOME, the account's folder as the system knows it (as Node falls back)", () =>
            {
                Assert.Equal(@"C:\Users\ana\.orfeas", Discovery.OrfeasHome("", new TestFiles(HostPlatform.Windows).Machine(new Dictionary<string, string>(), @"C:\Users\ana")), "Windows");
                Assert.Equal("/Users/ana/.orfeas", Discovery.OrfeasHome("", new TestFiles(HostPlatform.MacOS).Machine(new Dictionary<string, string> { { "HOME", "" } }, "/Users/ana")), "macOS");
            });

            run.Test(k_Group, "on this machine: its own platform, HOME, and paths made absolute", () =>
            {
                var machine = HostMachine.Current();
                Assert.Equal(Directory.Exists("/proc/self") ? HostPlatform.Linux : HostPlatform.MacOS, machine.Platform, "platform (the console tests run on Linux or macOS)");
                Assert.Equal(Environment.GetEnvironmentVariable("HOME"), machine.UserHome, "HOME");
                var temp = TestDaemon.TempDir("orfeas-cs-home-rule-");
                Assert.Equal(Path.Combine(temp, "b"), Discovery.OrfeasHome(Path.Combine(temp, "a", "..", "b")), "made absolute");
                var expected = Environment.GetEnvironmentVariable("ORFEAS_HOME");
                expected = string.IsNullOrEmpty(expected) ? Path.Combine(machine.UserHome, ".orfeas") : expected;
                Assert.Equal(Path.GetFullPath(machine.ExpandHome(expected)), Discovery.OrfeasHome(""), "the default");
                Directory.Delete(temp, true);
            });
        }

        static HostMachine Machine(HostPlatform platform, params string[] variables)
        {
            var values = new Dictionary<string, string>();
            for (var i = 0; i + 1 < variables.Length; i += 2)
                values[variables[i]] = variables[i + 1];
            return new TestFiles(platform).Machine(values);
        }

        static HostMachine With(HostMachine machine, string name, string value) => machine.With(new Dictionary<string, string> { { name, value } });
    }
}
