"""Finding the `orfeas` command and starting the daemon detached, without Blender: the preference, the PATH and
the VS Code extension's copies in that order (the highest version, platform-suffixed folders included), Node for a
script, npm's Windows shim, and the install sentence when nothing is found; the command line and the Popen options
built for POSIX and for Windows; real detached starts of stand-in commands (their own session, stdin at its end,
output in the log, the log's last lines when one stops at once) and the watch's timeout."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import time
import unittest

from orfeas_bridge.client import OrfeasError
from orfeas_bridge.client.discovery import Discovery
from orfeas_bridge.client.launch import (INSTALL_HINT, LOG_FILE, DaemonCommand, DaemonStart, daemon_arguments,
                                         detached_options, find_command, search_path, start_detached)

from support import remove, temp_dir


def write(path: str, text: str = "", executable: bool = False) -> str:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
    if executable:
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def extension(home: str, *parts: str) -> str:
    """An installed copy of the VS Code extension: `<home>/<parts…>/dist/orfeas.cjs`."""
    return write(os.path.join(home, *parts, "dist", "orfeas.cjs"), "// the daemon\n")


class Finder(unittest.TestCase):
    def setUp(self):
        self.root = temp_dir("orfeas-py-launch-")
        self.home = os.path.join(self.root, "home")
        self.bin = os.path.join(self.root, "bin")
        self.node_bin = os.path.join(self.root, "node-bin")
        os.makedirs(self.home)
        os.makedirs(self.bin)
        self.node = write(os.path.join(self.node_bin, "node"), "#!/bin/sh\n", executable=True)

    def tearDown(self):
        remove(self.root)

    def environ(self, *path: str) -> dict:
        return {"PATH": os.pathsep.join(path), "HOME": self.home}

    def find(self, preference: str = "", *path: str) -> DaemonCommand:
        return find_command(preference, self.environ(*path), "linux")

    def refusal(self, preference: str = "", *path: str) -> str:
        with self.assertRaises(OrfeasError) as caught:
            self.find(preference, *path)
        self.assertEqual(caught.exception.code, "E_DAEMON_START")
        return caught.exception.message

    def test_the_preference_comes_first(self):
        chosen = write(os.path.join(self.root, "tools", "orfeas"), "#!/bin/sh\n", executable=True)
        write(os.path.join(self.bin, "orfeas"), "#!/bin/sh\n", executable=True)
        extension(self.home, ".vscode", "extensions", "orfeas.orfeas-9.0.0")
        command = self.find(chosen, self.bin, self.node_bin)
        self.assertEqual(command.argv, [chosen])
        self.assertEqual(command.origin, "set in the add-on preferences")

    def test_a_script_in_the_preference_runs_with_node_from_the_path(self):
        script = extension(self.root, "checkout")
        self.assertEqual(self.find(script, self.bin, self.node_bin).argv, [self.node, script])
        message = self.refusal(script, self.bin)
        self.assertIn(f"Found the Orfeas daemon set in the add-on preferences ({script}), but no Node.js to run it", message)
        self.assertIn("Node.js 20 or newer from nodejs.org", message)

    def test_a_tilde_in_the_preference_is_the_home_folder(self):
        chosen = write(os.path.join(self.home, "tools", "orfeas"), "#!/bin/sh\n", executable=True)
        self.assertEqual(self.find("~/tools/orfeas").path, chosen)

    def test_a_preference_that_cannot_run_is_named_in_the_sentence(self):
        missing = os.path.join(self.root, "nowhere", "orfeas")
        self.assertIn(f"The Orfeas command set in the add-on preferences, {missing}, is not a file.", self.refusal(missing))
        self.assertIn("is not a file", self.refusal(self.bin))
        plain = write(os.path.join(self.root, "tools", "orfeas"), "#!/bin/sh\n")
        self.assertIn(f"{plain}, is not executable", self.refusal(plain))

    def test_orfeas_on_the_path_comes_next_in_path_order(self):
        write(os.path.join(self.root, "first", "orfeas"), "not executable\n")
        second = write(os.path.join(self.root, "second", "orfeas"), "#!/bin/sh\n", executable=True)
        write(os.path.join(self.bin, "orfeas"), "#!/bin/sh\n", executable=True)
        extension(self.home, ".vscode", "extensions", "orfeas.orfeas-9.0.0")
        command = self.find("", os.path.join(self.root, "first"), os.path.join(self.root, "second"), self.bin)
        self.assertEqual((command.argv, command.origin), ([second], "on the PATH"))

    def test_the_highest_installed_extension_copy_comes_last(self):
        for parts in ((".vscode", "extensions", "orfeas.orfeas-0.9.0"),
                      (".vscode-insiders", "extensions", "orfeas.orfeas-0.2.0-linux-x64"),
                      (".vscode-oss", "extensions", "orfeas.orfeas-0.10.0-darwin-arm64"),
                      (".local", "share", "code-server", "extensions", "orfeas.orfeas-0.3.0"),
                      (".vscode", "extensions", "someone.orfeas-7.0.0")):  # another publisher's
            extension(self.home, *parts)
        # The highest version of all has no daemon inside: not a usable copy.
        os.makedirs(os.path.join(self.home, ".vscode-server", "extensions", "orfeas.orfeas-0.11.0-linux-x64", "dist"))
        highest = os.path.join(self.home, ".vscode-oss", "extensions", "orfeas.orfeas-0.10.0-darwin-arm64", "dist", "orfeas.cjs")
        command = self.find("", self.bin, self.node_bin)
        self.assertEqual(command.argv, [self.node, highest])
        self.assertEqual(command.origin, "in the VS Code extension 0.10.0")
        self.assertIn(highest, command.describe())

    def test_each_editor_folder_is_looked_in(self):
        for parts in ((".vscode", "extensions"), (".vscode-insiders", "extensions"), (".vscode-oss", "extensions"),
                      (".vscode-server", "extensions"), (".local", "share", "code-server", "extensions")):
            with self.subTest(folder=os.path.join(*parts)):
                remove(self.home)
                script = extension(self.home, *parts, "orfeas.orfeas-1.2.3-linux-x64")
                self.assertEqual(self.find("", self.node_bin).path, script)

    def test_an_extension_copy_without_node_says_so(self):
        script = extension(self.home, ".vscode-server", "extensions", "orfeas.orfeas-0.1.0")
        message = self.refusal("", self.bin)
        self.assertEqual(message, f"Found the Orfeas daemon in the VS Code extension 0.1.0 ({script}), but no Node.js "
                                  "to run it: install Node.js 20 or newer from nodejs.org, so that `node` is on the PATH.")

    def test_nothing_found_says_how_to_install(self):
        self.assertEqual(self.refusal("", self.bin, self.node_bin), INSTALL_HINT)
        for way in ("`npm install -g orfeas` (Node.js 20 or newer from nodejs.org)", "install the Orfeas extension in VS Code",
                    "set the Orfeas command's path in the add-on preferences"):
            self.assertIn(way, INSTALL_HINT)

    def test_npm_windows_shim_runs_node_on_the_package_script(self):
        npm = os.path.join(self.root, "AppData", "Roaming", "npm")
        shim = write(os.path.join(npm, "orfeas.cmd"), "@echo off\r\n")
        script = extension(npm, "node_modules", "orfeas")
        found = []

        def which(name, path=None):
            found.append((name, path))
            return {"orfeas.cmd": shim, "node": self.node}.get(name)
        environment = {"PATH": self.bin, "USERPROFILE": self.home}
        command = find_command("", environment, "win32", which)
        self.assertEqual((command.argv, command.origin), ([self.node, script], "on the PATH"))
        self.assertEqual(found[0], ("orfeas.cmd", self.bin))
        # A node.exe beside the shim is the one npm's shim would use.
        node_exe = write(os.path.join(npm, "node.exe"))
        self.assertEqual(find_command("", environment, "win32", which).argv, [node_exe, script])
        # An orfeas.exe on the PATH is run as it is.
        exe = write(os.path.join(self.root, "tools", "orfeas.exe"))
        self.assertEqual(find_command("", environment, "win32", lambda name, path=None: {"orfeas.exe": exe}.get(name)).argv, [exe])
        # A .cmd without the package beside it runs as it is.
        other = write(os.path.join(self.root, "tools", "orfeas.cmd"), "@echo off\r\n")
        self.assertEqual(find_command(other, environment, "win32", which).argv, [other])

    def test_macos_also_looks_in_homebrew_folders(self):
        seen = []
        find = lambda name, path=None: seen.append(path)  # noqa: E731 - finds nothing, records where it looked
        with self.assertRaises(OrfeasError):
            find_command("", {"PATH": "/usr/bin:/bin", "HOME": self.home}, "darwin", find)
        self.assertEqual(seen, ["/usr/bin:/bin:/opt/homebrew/bin:/usr/local/bin"])
        self.assertEqual(search_path({"PATH": "/usr/local/bin:/usr/bin"}, "darwin"), "/usr/local/bin:/usr/bin:/opt/homebrew/bin")
        self.assertEqual(search_path({"PATH": "/usr/bin"}, "linux"), "/usr/bin")


class CommandLine(unittest.TestCase):
    def test_the_daemon_command_names_the_home(self):
        self.assertEqual(daemon_arguments(DaemonCommand("/usr/local/bin/orfeas", "on the PATH"), "/Users/ana/.orfeas"),
                         ["/usr/local/bin/orfeas", "daemon", "--home", "/Users/ana/.orfeas"])
        script = DaemonCommand(r"C:\ext\dist\orfeas.cjs", "in the VS Code extension 0.1.0", r"C:\Program Files\nodejs\node.exe")
        self.assertEqual(daemon_arguments(script, r"C:\Users\ana\.orfeas"),
                         [r"C:\Program Files\nodejs\node.exe", r"C:\ext\dist\orfeas.cjs", "daemon", "--home", r"C:\Users\ana\.orfeas"])

    def test_posix_starts_it_in_a_session_of_its_own(self):
        for platform in ("linux", "darwin"):
            self.assertEqual(detached_options(platform), {"start_new_session": True, "close_fds": True})

    def test_windows_starts_it_detached_without_a_console_or_window(self):
        # DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP | CREATE_NO_WINDOW, whether or not subprocess names them here.
        self.assertEqual(detached_options("win32"), {"creationflags": 0x08000208, "close_fds": True})

    def test_the_windows_popen_call(self):
        home = temp_dir("orfeas-py-launch-home-")
        self.addCleanup(remove, home)
        calls = []

        class Process:
            pid = 4242

            def poll(self):
                return None

        def popen(arguments, **options):
            calls.append((arguments, options))
            return Process()
        command = DaemonCommand(r"C:\ext\dist\orfeas.cjs", "in the VS Code extension 0.1.0", r"C:\nodejs\node.exe")
        start = start_detached(command, home, {"PATH": r"C:\nodejs", "USERPROFILE": r"C:\Users\ana"}, "win32", popen)
        (arguments, options), = calls
        self.assertEqual(arguments, [r"C:\nodejs\node.exe", r"C:\ext\dist\orfeas.cjs", "daemon", "--home", home])
        self.assertEqual(options["creationflags"], 0x08000208)
        self.assertTrue(options["close_fds"])
        self.assertNotIn("start_new_session", options)
        self.assertEqual((options["stdin"], options["stderr"], options["cwd"]), (subprocess.DEVNULL, subprocess.STDOUT, home))
        self.assertEqual(options["stdout"].name, os.path.join(home, LOG_FILE))
        self.assertIn("a", options["stdout"].mode)
        self.assertEqual(options["env"]["USERPROFILE"], r"C:\Users\ana")
        self.assertEqual(start.pid, 4242)


class DetachedStart(unittest.TestCase):
    """Stand-ins for `orfeas`, started for real."""

    def setUp(self):
        self.root = temp_dir("orfeas-py-start-")
        self.home = os.path.join(self.root, "home with space")

    def tearDown(self):
        remove(self.root)

    def stand_in(self, body: str) -> DaemonCommand:
        path = write(os.path.join(self.root, "bin", "orfeas"), "#!/bin/sh\n" + body, executable=True)
        return DaemonCommand(path, "on the PATH")

    def test_a_command_that_stops_at_once_is_told_with_its_last_lines(self):
        first = start_detached(self.stand_in('echo "earlier run"\nexit 0\n'), self.home)
        first.process.wait(30)
        command = self.stand_in('echo "one"\necho "two"\necho "Port 7878 is in use." >&2\necho "four" >&2\nexit 3\n')
        start = start_detached(command, self.home)
        start.process.wait(30)
        problem = start.problem()
        log = os.path.join(self.home, LOG_FILE)
        self.assertEqual(problem, f"The Orfeas daemon stopped at once (exit code 3). Its log ({log}) ends: two | "
                                  "Port 7878 is in use. | four")
        with open(log, encoding="utf-8") as file:
            text = file.read()
        self.assertIn("earlier run", text)  # appended, not replaced
        self.assertIn(f'{command.path} daemon --home "{self.home}"', text)

    def test_the_daemon_runs_in_its_own_session_and_its_file_is_seen(self):
        # A stale discovery file from an earlier daemon whose pid is alive (this process): not the new one.
        os.makedirs(self.home)
        stale = {"version": "0.1.0", "pid": os.getpid(), "port": 1, "token": "old", "startedAt": "earlier"}
        write(os.path.join(self.home, "daemon.json"), json.dumps(stale))
        start = start_detached(self.stand_in(
            'if read -r line; then echo "stdin gave a line"; else echo "stdin at its end"; fi\n'
            'echo "args: $*"\n'
            'printf \'{"version":"0.1.0","pid":%s,"port":2,"token":"new","startedAt":"now"}\' $$ > "$3/daemon.json"\n'
            'exec sleep 120\n'), self.home)
        self.addCleanup(self.stop, start)
        deadline = time.monotonic() + 30
        written = None
        while written is None and start.running() and time.monotonic() < deadline:
            written = start.written()
            time.sleep(0.02)
        self.assertEqual(written, Discovery("0.1.0", start.pid, 2, "new", "now"))
        self.assertEqual(start.problem(), "")
        self.assertEqual(os.getsid(start.pid), start.pid)
        self.assertNotEqual(os.getsid(start.pid), os.getsid(0))
        self.assertEqual(start.log_tail(), f"Its log ({os.path.join(self.home, LOG_FILE)}) ends: stdin at its end | "
                                           f"args: daemon --home {self.home}")

    @staticmethod
    def stop(start: DaemonStart) -> None:
        if start.running():
            os.kill(start.pid, signal.SIGTERM)
        start.process.wait(30)

    def test_a_command_that_cannot_run_is_a_sentence(self):
        command = DaemonCommand(write(os.path.join(self.root, "bin", "orfeas"), "plain text\n", executable=True), "on the PATH")
        with self.assertRaises(OrfeasError) as caught:
            start_detached(command, self.home)
        self.assertEqual(caught.exception.code, "E_DAEMON_START")
        self.assertRegex(caught.exception.message, r"^Could not start the Orfeas daemon with .*/bin/orfeas \(on the PATH\): "
                                                   r"Exec format error\. Check the Orfeas command in the add-on preferences\.$")


class Watch(unittest.TestCase):
    def test_a_start_that_never_answers_gives_up_telling_after_the_timeout(self):
        root = temp_dir("orfeas-py-watch-")
        self.addCleanup(remove, root)
        log = write(os.path.join(root, LOG_FILE), "--- earlier\nold line\n")
        offset = os.path.getsize(log)
        with open(log, "a", encoding="utf-8") as file:
            file.write("loading models\n")

        class Running:
            pid = 99

            def poll(self):
                return None
        now = [100.0]
        start = DaemonStart(Running(), root, log, offset, None, timeout=30, clock=lambda: now[0])
        now[0] = 129.5
        self.assertEqual((start.problem(), start.progress()), ("", "Starting the Orfeas daemon… 29 s"))
        self.assertIsNone(start.written())
        now[0] = 130.5
        self.assertEqual(start.problem(), f"The Orfeas daemon has not answered in 30 s; the add-on keeps trying to "
                                          f"connect. Its log ({log}) ends: loading models")

    def test_a_silent_log_is_named(self):
        root = temp_dir("orfeas-py-watch-")
        self.addCleanup(remove, root)
        log = write(os.path.join(root, LOG_FILE))

        class Stopped:
            pid = 99

            def poll(self):
                return 1
        self.assertEqual(DaemonStart(Stopped(), root, log).problem(),
                         f"The Orfeas daemon stopped at once (exit code 1). It printed nothing (log: {log}).")


if __name__ == "__main__":
    unittest.main()
