"""Which ports are taken, by whom, and which are free."""

from __future__ import annotations

import errno
import os
import socket
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class PortHolder:
    port: int
    pid: int | None
    command: str

    def describe(self) -> str:
        if self.pid is None:
            return f"port {self.port} is taken by a process stcomp cannot see"
        return f"port {self.port} is taken by pid {self.pid} ({self.command})"


def _bind_fails(family: socket.AddressFamily, host: str, port: int) -> bool:
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


def is_taken(port: int) -> bool:
    """True if anything listens on the port, on any IPv4 or IPv6 address."""
    if _bind_fails(socket.AF_INET, "0.0.0.0", port):
        return True
    return socket.has_ipv6 and _bind_fails(socket.AF_INET6, "::", port)


def holder(port: int) -> PortHolder | None:
    """Who listens on the port, or None when it is free."""
    if not is_taken(port):
        return None
    import psutil  # only when a port is taken

    for conn in psutil.net_connections(kind="inet"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port:
            if conn.pid is None:
                break
            return PortHolder(port, conn.pid, command_of(conn.pid))
    return PortHolder(port, None, "?")


def command_of(pid: int) -> str:
    """A process's command line on one line (a process that rewrote its title, as next-server
    does, may pad it with blanks or NULs: they are dropped)."""
    import psutil

    try:
        parts = psutil.Process(pid).cmdline()
    except psutil.Error:
        return "?"
    return " ".join(" ".join(parts).replace("\x00", " ").split()) or "?"


def free_port() -> int:
    """A port nothing listens on now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_ports(count: int) -> list[int]:
    """``count`` different ports nothing listens on now: each stays bound until all are
    chosen, so that the kernel cannot hand out one of them twice."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def wait_ports_free(ports: list[int], timeout: float = 1.0) -> list[int]:
    """Ports still taken after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    busy = [p for p in ports if is_taken(p)]
    while busy and time.monotonic() < deadline:
        time.sleep(0.02)
        busy = [p for p in busy if is_taken(p)]
    return busy


# Who owns a listening socket. psutil answers this per process only by parsing every inet table
# once per process, and for the whole machine by scanning every process (tens of ms); readiness
# needs the answer for one port and a handful of processes at once, so it is read from /proc here.
_TCP_TABLES = ("/proc/net/tcp", "/proc/net/tcp6")
_LISTEN = "0A"


def listening_inodes(port: int) -> set[str]:
    """Socket inodes listening on ``port`` (any address), from the kernel's TCP tables."""
    found: set[str] = set()
    for table in _TCP_TABLES:
        try:
            with open(table) as fh:
                next(fh, None)
                for row in fh:
                    fields = row.split()
                    listening = len(fields) > 9 and fields[3] == _LISTEN
                    if listening and int(fields[1].rsplit(":", 1)[1], 16) == port:
                        found.add(fields[9])
        except OSError:
            continue
    return found


def listens(pid: int, inodes: set[str]) -> bool:
    """Whether process ``pid`` holds one of these sockets."""
    targets = {f"socket:[{inode}]" for inode in inodes}
    folder = f"/proc/{pid}/fd"
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    for name in names:
        try:
            if os.readlink(f"{folder}/{name}") in targets:
                return True
        except OSError:
            continue
    return False


def foreign_listener(port: int, own: list[int]) -> PortHolder | None:
    """Who holds ``port`` when none of the processes ``own`` listens on it; None when one of
    them does (or nothing listens)."""
    inodes = listening_inodes(port)
    if not inodes or any(listens(pid, inodes) for pid in own):
        return None
    import psutil

    for pid in psutil.pids():
        if listens(pid, inodes):
            return PortHolder(port, pid, command_of(pid))
    return PortHolder(port, None, "?")
