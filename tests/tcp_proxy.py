"""A small controllable TCP proxy for fault tests: a database that goes away and comes back.

The shared PostgreSQL server must keep running for everyone else's tests, so
a test puts this proxy between the app and the server and cuts the proxy
instead:

    proxy = TcpProxy("127.0.0.1", 5432).start()
    url = f"postgresql://postgres@127.0.0.1:{proxy.port}/mydb"
    proxy.cut()       # every open connection dies, new ones are refused
    proxy.restore()   # connections are accepted again (on the same port)
    proxy.stop()

Only the standard library is used; one thread accepts, two threads pump each
connection.
"""
from __future__ import annotations

import selectors
import socket
import threading
from typing import Self

_CHUNK = 65536


class TcpProxy:
    """Forward 127.0.0.1:<port> to a target; cut and restore on demand."""

    def __init__(self, target_host: str, target_port: int, *, listen_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.listen_host = listen_host
        self.port = 0
        self.accepted = 0  # connections forwarded so far
        self.refused = 0  # connections refused while cut (counted when seen)
        self._lock = threading.Lock()
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._listener: socket.socket | None = None
        self._running = False
        self._cut = False
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> Self:
        self._listen()
        self._running = True
        self._thread = threading.Thread(target=self._accept_loop, name=f"tcp-proxy-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._running = False
        self.cut()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- faults ----------------------------------------------------------------------
    def cut(self) -> None:
        """Drop every open connection and refuse new ones until restore()."""
        with self._lock:
            self._cut = True
            listener, self._listener = self._listener, None
            pairs = list(self._pairs)
            self._pairs.clear()
        if listener is not None:
            listener.close()  # new connections: ECONNREFUSED, as from a stopped server
        for client, upstream in pairs:
            _kill(client)
            _kill(upstream)

    def restore(self) -> None:
        """Accept connections again, on the same port."""
        with self._lock:
            if not self._cut:
                return
            self._cut = False
        self._listen()

    @property
    def is_cut(self) -> bool:
        return self._cut

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    # -- internals -------------------------------------------------------------------
    def _listen(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.listen_host, self.port))
        sock.listen(64)
        sock.setblocking(False)
        self.port = sock.getsockname()[1]
        with self._lock:
            self._listener = sock

    def _accept_loop(self) -> None:
        while self._running:
            with self._lock:
                listener = self._listener
            if listener is None:
                threading.Event().wait(0.02)
                continue
            try:
                with selectors.DefaultSelector() as selector:
                    selector.register(listener, selectors.EVENT_READ)
                    if not selector.select(timeout=0.05):
                        continue
                client, _ = listener.accept()
            except (OSError, ValueError):  # the listener was closed by cut()
                continue
            self._forward(client)

    def _forward(self, client: socket.socket) -> None:
        client.setblocking(True)
        try:
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
        except OSError:
            _kill(client)
            return
        with self._lock:
            if self._cut:
                self.refused += 1
                _kill(client)
                _kill(upstream)
                return
            self._pairs.add((client, upstream))
            self.accepted += 1
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(source, sink, (client, upstream)), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, pair: tuple[socket.socket, socket.socket]) -> None:
        try:
            while True:
                data = source.recv(_CHUNK)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        with self._lock:
            self._pairs.discard(pair)
        _kill(source)
        _kill(sink)


def _kill(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
