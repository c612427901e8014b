// A made-up file system for HostMachine: the files a Windows, macOS or Linux machine would have (a PATH folder, npm's
// shims, VS Code's extensions), so the daemon finder's rules for each platform run anywhere.
using System;
using System.Collections.Generic;
using System.Linq;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    /// <summary>Files, each executable or not, and the folders their paths imply.</summary>
    sealed class TestFiles
    {
        readonly HostPlatform m_Platform;
        readonly Dictionary<string, bool> m_Files;

        /// <summary>An empty file system of <paramref name="platform"/> (names compared without case on Windows).</summary>
        public TestFiles(HostPlatform platform)
        {
            m_Platform = platform;
            m_Files = new Dictionary<string, bool>(Windows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        }

        bool Windows => m_Platform == HostPlatform.Windows;

        /// <summary>Adds a file at <paramref name="path"/>; returns this for chaining.</summary>
        public TestFiles Add(string path, bool executable = true)
        {
            m_Files[path] = executable;
            return this;
        }

        /// <summary>A machine of the platform with these variables, looking at these files; paths are taken as absolute.</summary>
        public HostMachine Machine(IDictionary<string, string> variables, string accountHome = null)
        {
            return new HostMachine(m_Platform, variables, accountHome)
            {
                IsFile = path => m_Files.ContainsKey(path),
                IsExecutable = path => m_Files.TryGetValue(path, out var executable) && executable,
                FolderNames = Folders,
                FullPath = path => path,
            };
        }

        IEnumerable<string> Folders(string folder)
        {
            var separator = Windows ? '\\' : '/';
            var prefix = folder.TrimEnd(separator) + separator;
            var comparison = Windows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            return m_Files.Keys.Where(path => path.StartsWith(prefix, comparison))
                .Select(path => path.Substring(prefix.Length).Split(separator))
                .Where(parts => parts.Length > 1)
                .Select(parts => parts[0])
                .Distinct()
                .ToList();
        }
    }
}
