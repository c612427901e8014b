"""The home folder the client looks in, on Windows, macOS and Linux alike from any system (the platform's path rules
and environment passed in): the preference, else ORFEAS_HOME, else `.orfeas` in the folder Node's os.homedir()
names (USERPROFILE on Windows, HOME elsewhere), a leading `~` in the preference expanded; and Python's own
expanduser agreeing with that user folder."""
from __future__ import annotations

import ntpath
import os
import posixpath
import unittest
from unittest import mock

from orfeas_bridge.client.discovery import expand_user, orfeas_home, user_home

WINDOWS = {"USERPROFILE": r"C:\Users\ana", "HOME": "/home/not-this-one"}
MACOS = {"HOME": "/Users/ana", "USERPROFILE": r"C:\Users\not-this-one"}


class WindowsHome(unittest.TestCase):
    def test_the_default_is_dot_orfeas_in_the_user_profile(self):
        self.assertEqual(orfeas_home("", WINDOWS, "win32"), r"C:\Users\ana\.orfeas")

    def test_python_expanduser_names_the_same_folder(self):
        with mock.patch.dict(os.environ, {"USERPROFILE": r"C:\Users\ana"}):
            self.assertEqual(ntpath.expanduser("~"), user_home(WINDOWS, "win32"))
            self.assertEqual(ntpath.expanduser(r"~\.orfeas"), orfeas_home("", WINDOWS, "win32"))

    def test_without_userprofile_the_system_answer_is_taken(self):
        environment = {"HOMEDRIVE": "D:", "HOMEPATH": r"\Users\bo"}
        with mock.patch.dict(os.environ, environment, clear=True):
            self.assertEqual(orfeas_home("", environment, "win32"), r"D:\Users\bo\.orfeas")

    def test_orfeas_home_wins_over_the_user_profile(self):
        self.assertEqual(orfeas_home("", {**WINDOWS, "ORFEAS_HOME": r"D:\orfeas\home"}, "win32"), r"D:\orfeas\home")

    def test_the_preference_wins_over_both(self):
        environment = {**WINDOWS, "ORFEAS_HOME": r"D:\orfeas\home"}
        self.assertEqual(orfeas_home(r"E:\Orfeas Data", environment, "win32"), r"E:\Orfeas Data")
        self.assertEqual(orfeas_home(r"  E:\Orfeas\  ", environment, "win32"), r"E:\Orfeas")

    def test_a_tilde_in_the_preference_is_the_user_profile(self):
        for preference in (r"~\orfeas-data", "~/orfeas-data"):
            self.assertEqual(orfeas_home(preference, WINDOWS, "win32"), r"C:\Users\ana\orfeas-data", preference)
        self.assertEqual(orfeas_home("~", WINDOWS, "win32"), r"C:\Users\ana")


class MacHome(unittest.TestCase):
    def test_the_default_is_dot_orfeas_in_home(self):
        self.assertEqual(orfeas_home("", MACOS, "darwin"), "/Users/ana/.orfeas")
        self.assertEqual(orfeas_home("", {"HOME": "/home/ana"}, "linux"), "/home/ana/.orfeas")

    def test_python_expanduser_names_the_same_folder(self):
        with mock.patch.dict(os.environ, {"HOME": "/Users/ana"}):
            self.assertEqual(posixpath.expanduser("~"), user_home(MACOS, "darwin"))
            self.assertEqual(posixpath.expanduser("~/.orfeas"), orfeas_home("", MACOS, "darwin"))

    def test_orfeas_home_wins_and_is_taken_as_the_daemon_takes_it(self):
        self.assertEqual(orfeas_home("", {**MACOS, "ORFEAS_HOME": "/Volumes/Work/orfeas/"}, "darwin"), "/Volumes/Work/orfeas")
        # The daemon's path.resolve does not expand `~`, and resolves a relative folder against the current one.
        self.assertEqual(orfeas_home("", {**MACOS, "ORFEAS_HOME": "~/x"}, "darwin"), os.path.join(os.getcwd(), "~", "x"))

    def test_the_preference_wins_over_both(self):
        environment = {**MACOS, "ORFEAS_HOME": "/Volumes/Work/orfeas"}
        self.assertEqual(orfeas_home("/Users/ana/Orfeas Data", environment, "darwin"), "/Users/ana/Orfeas Data")

    def test_a_tilde_in_the_preference_is_home(self):
        environment = {**MACOS, "ORFEAS_HOME": "/Volumes/Work/orfeas"}
        self.assertEqual(orfeas_home("~/Orfeas", environment, "darwin"), "/Users/ana/Orfeas")
        self.assertEqual(orfeas_home("~", environment, "darwin"), "/Users/ana")
        # A backslash is a file name character on macOS, not a separator.
        self.assertEqual(expand_user("~\\x", MACOS, "darwin"), "~\\x")


class ThisSystem(unittest.TestCase):
    def test_the_defaults_are_this_process_environment_and_platform(self):
        with mock.patch.dict(os.environ, {"ORFEAS_HOME": os.path.join(os.sep, "srv", "orfeas")}):
            self.assertEqual(orfeas_home(), os.path.join(os.sep, "srv", "orfeas"))
        with mock.patch.dict(os.environ):
            os.environ.pop("ORFEAS_HOME", None)
            self.assertEqual(orfeas_home(), os.path.join(os.path.expanduser("~"), ".orfeas"))


if __name__ == "__main__":
    unittest.main()
