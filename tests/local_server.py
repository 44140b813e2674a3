"""An HTTP server on 127.0.0.1 in a thread, for tests that purge, deliver or fetch."""

import contextlib
import threading
from http.server import ThreadingHTTPServer


@contextlib.contextmanager
def local_http_server(handler, **attributes):
    """Serve handler on a free port; the server carries .port, .url, .release (set on exit) and attributes."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.requests, server.release = [], threading.Event()
    for name, value in attributes.items():
        setattr(server, name, value)
    server.port = server.server_address[1]
    server.url = f"http://127.0.0.1:{server.port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
