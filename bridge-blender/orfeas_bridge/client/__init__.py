"""The Orfeas client without Blender: WebSocket, protocol v1 messages and frames, discovery, reconnecting
connection and job views. Stdlib only, so it runs and is tested under plain python3."""
from .connection import CONNECTED, CONNECTING, IDLE, OFFLINE, REFUSED, Connection, Pending
from .discovery import Discovery, find_daemon, orfeas_home, read_discovery
from .errors import OrfeasError
from .jobs import JobBook, JobView, describe_progress

__all__ = ["CONNECTED", "CONNECTING", "IDLE", "OFFLINE", "REFUSED", "Connection", "Pending", "Discovery", "find_daemon",
           "orfeas_home", "read_discovery", "OrfeasError", "JobBook", "JobView", "describe_progress"]
