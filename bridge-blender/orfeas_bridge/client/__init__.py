"""The Orfeas client without Blender: WebSocket (plain, or TLS to a team server), protocol v1 messages and frames,
discovery, starting the daemon (launch.py), reconnecting connection, job views and multi-view requests. Stdlib
only, so it runs and is tested under plain python3."""
from .connection import CONNECTED, CONNECTING, IDLE, OFFLINE, REFUSED, Connection, Pending
from .discovery import Discovery, find_daemon, orfeas_home, read_discovery
from .errors import OrfeasError
from .jobs import JobBook, JobView, describe_progress
from .server import Server, normalize_fingerprint, parse_server
from .views import SHEET_LAYOUTS, default_name, describe_agreement, generate_request, parse_sheet

__all__ = ["CONNECTED", "CONNECTING", "IDLE", "OFFLINE", "REFUSED", "Connection", "Pending", "Discovery", "find_daemon",
           "orfeas_home", "read_discovery", "OrfeasError", "JobBook", "JobView", "describe_progress", "Server",
           "normalize_fingerprint", "parse_server", "SHEET_LAYOUTS", "default_name", "describe_agreement",
           "generate_request", "parse_sheet"]
