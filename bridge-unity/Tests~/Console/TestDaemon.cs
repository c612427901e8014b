// A real daemon for the client tests: `node dist/orfeas.cjs daemon --port 0 --home <home>`, found through its
// discovery file as the bridge finds it. ORFEAS_NODE names the node binary (default: node on PATH).
using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    sealed class TestDaemon
    {
        public readonly string Home;
        public readonly int Port;
        public readonly string Token;
        readonly Process m_Process;

        public int Pid => m_Process.Id;

        public TestDaemon(string root, string home)
        {
            Home = home;
            var cli = Path.Combine(root, "dist", "orfeas.cjs");
            if (!File.Exists(cli))
                throw new InvalidOperationException($"{cli} is missing: run `npm run build` in {root} first.");
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("ORFEAS_NODE") ?? "node", $"\"{cli}\" daemon --port 0 --home \"{home}\"")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            m_Process = Process.Start(start);
            m_Process.OutputDataReceived += (s, e) => { };
            m_Process.ErrorDataReceived += (s, e) => { };
            m_Process.BeginOutputReadLine();
            m_Process.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline && !m_Process.HasExited)
            {
                var found = Discovery.Read(home);
                if (found != null && found.Pid == m_Process.Id)
                {
                    Port = found.Port;
                    Token = found.Token;
                    return;
                }
                Thread.Sleep(50);
            }
            Kill();
            throw new InvalidOperationException("the daemon did not start");
        }

        /// <summary>SIGTERM: the daemon closes sessions with 1001 and removes daemon.json.</summary>
        public void Stop()
        {
            if (!m_Process.HasExited)
                Process.Start("kill", $"-TERM {m_Process.Id}").WaitForExit();
            m_Process.WaitForExit(30000);
        }

        /// <summary>SIGKILL: a crash; daemon.json stays behind.</summary>
        public void Kill()
        {
            if (!m_Process.HasExited)
                m_Process.Kill();
            m_Process.WaitForExit(30000);
        }

        public static string TempDir(string prefix)
        {
            var dir = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(dir);
            return dir;
        }
    }
}
