// The operating systems the bridge tells apart when it looks for the daemon, resolves its home and starts it.
namespace Orfeas.Bridge.Protocol
{
    /// <summary>The kind of machine the editor runs on (<see cref="HostMachine.Platform"/>).</summary>
    public enum HostPlatform
    {
        /// <summary>Windows: USERPROFILE, `;` in PATH, PATHEXT, cmd.exe.</summary>
        Windows,
        /// <summary>macOS: HOME, `:` in PATH, /bin/sh; GUI apps get launchd's short PATH.</summary>
        MacOS,
        /// <summary>Linux and other POSIX systems: HOME, `:` in PATH, /bin/sh.</summary>
        Linux,
    }
}
