"""Traps that notice a loader reaching outside its input: a listening socket and a named pipe.

Hostile files point at these instead of at the real network or /etc. The traps live in the
*parent* process and see native code too (pyoxigraph's Rust, expat), which Python-level hooks
cannot: a connection to the socket, or an open() of the pipe, is counted however it was made.
An audit hook (``NetworkGuard``) adds the Python-level view: any socket connect or name lookup.
"""
from __future__ import annotations

import os
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SECRET = "WHYREC-SECRET-CANARY-5F2E"  # the content of the trap file: must never reach a graph or message
_NETWORK_EVENTS = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
                   "socket.sendto", "socket.sendmsg", "urllib.Request", "http.client.connect")


@dataclass
class Traps:
    """A TCP listener on 127.0.0.1, a FIFO and a secret file, all outside the files under test."""

    folder: Path
    url: str = ""
    fifo: Path = Path()
    secret: Path = Path()
    connections: int = 0
    fifo_opens: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def __enter__(self) -> Traps:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.secret = self.folder / "secret.txt"
        self.secret.write_text(SECRET + "\n", encoding="utf-8")
        self.fifo = self.folder / "trap.fifo"
        os.mkfifo(self.fifo)
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(16)
        self._server.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}/"
        for target in (self._accept, self._watch_fifo):
            t = threading.Thread(target=target, daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(2)
        self._server.close()

    def args(self) -> list[str]:
        return ["--url", self.url, "--fifo", str(self.fifo), "--secret", str(self.secret)]

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def _watch_fifo(self) -> None:
        # Opening a FIFO for writing without blocking succeeds only while someone holds it open
        # for reading; a reader blocks in open() until a writer comes, so no reader is missed.
        while not self._stop.is_set():
            try:
                fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                time.sleep(0.002)
                continue
            self.fifo_opens += 1
            os.close(fd)  # the reader sees end of file and goes on
            time.sleep(0.01)


class NetworkGuard:
    """An audit hook (installed once per process, armed on demand) refusing any network use."""

    _installed: NetworkGuard | None = None

    def __init__(self) -> None:
        self.armed = False
        self.attempts: list[str] = []
        self.watched: tuple[str, ...] = ()  # paths whose opening counts as reaching outside
        self.opens: list[str] = []

    @classmethod
    def get(cls) -> NetworkGuard:
        if cls._installed is None:
            cls._installed = cls()
            sys.addaudithook(cls._installed._hook)
        return cls._installed

    def _hook(self, event: str, args: tuple) -> None:
        if not self.armed:
            return
        if event in _NETWORK_EVENTS or (event == "socket.__new__" and len(args) > 1
                                         and args[1] in (socket.AF_INET, socket.AF_INET6)):
            self.attempts.append(f"{event}{args!r}"[:200])
            raise ConnectionRefusedError(f"whyrec reliability suite: network use refused ({event})")
        if event == "open" and self.watched and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.fsdecode(args[0])
            if path.startswith(self.watched):
                self.opens.append(path)

    def __enter__(self) -> NetworkGuard:
        self.armed = True
        return self

    def __exit__(self, *exc: object) -> None:
        self.armed = False
