#!/usr/bin/env python3
"""A feed server for the kiosk's tests, on loopback only, that behaves well or badly on
request. Standard library only.

    server.py DIR PORTFILE [--tls CERT KEY]

Serves the files of DIR with real validators (ETag from the content, Last-Modified from
the file; If-None-Match and If-Modified-Since answered with 304; gzip when asked), and:
  /status/500       a 500 with an HTML error page
  /reset            the connection closed without an answer
  /stall            headers and half a body, then silence for 60 s
  /huge             an endless chunked body (the client must stop it)
  /html             200 with an HTML page where JSON was expected
  /truncated/NAME   a file cut in half, with a Content-Length that says so
  /post/NAME        NAME, only to a POST with a JSON body and "Authorization: Bearer t0ken"
  /flip             A.json and B.json of DIR in turn, one per request (a feed that changes
                    on every poll: the kiosk writes its cache and history every time)
  /count            how many requests each path had, as JSON
  /redirect?to=URL  a 302 to URL
  /plain/NAME       NAME with a 200 every time and no validators (no ETag, no
                    Last-Modified: what POST APIs such as the national portal's do)
  /changes/N        A.json for N requests, then B.json for N, and so on, as /plain does
                    (a feed that changes now and then, from a server without validators)
With --tls it speaks HTTPS with that certificate and key.
A file DIR/.mode holding one of 500, reset, html, truncated, huge, stall, missing makes
/feed.json misbehave that way (the same URL going bad, then good again when it is
removed). It writes the port it listens on to PORTFILE and serves until killed."""
import email.utils
import gzip
import hashlib
import http.server
import json
import os
import socketserver
import sys
import threading
import time

ROOT = sys.argv[1]
COUNTS = {}
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def count(self):
        with LOCK:
            COUNTS[self.path] = COUNTS.get(self.path, 0) + 1

    def send(self, code, body, ctype="application/json", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def serve_file(self, name, post=False):
        path = os.path.join(ROOT, os.path.basename(name))
        if not os.path.isfile(path):
            return self.send(404, b"<html><body>404 Not Found</body></html>", "text/html")
        with open(path, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        modified = email.utils.formatdate(os.path.getmtime(path), usegmt=True)
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        extra = [("ETag", etag), ("Last-Modified", modified)]
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            extra.append(("Content-Encoding", "gzip"))
        self.send(200, body, extra=extra)

    def do_GET(self):
        self.count()
        p = self.path
        mode_file = os.path.join(ROOT, ".mode")
        if p == "/feed.json" and os.path.exists(mode_file):
            with open(mode_file) as f:
                mode = f.read().strip()
            p = {"500": "/status/500", "reset": "/reset", "html": "/html",
                 "truncated": "/truncated/feed.json", "huge": "/huge", "stall": "/stall",
                 "missing": "/missing.json"}.get(mode, p)
        if p == "/status/500":
            self.send(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>",
                      "text/html")
        elif p == "/reset":
            self.connection.shutdown(2)
            self.close_connection = True
        elif p == "/stall":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b'{"format": "kiosk-scores", "version": 1, "periods": [')
            self.wfile.flush()
            time.sleep(60)
        elif p == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b" " * 65536
            try:
                for _ in range(100000):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif p == "/html":
            self.send(200, b"<!DOCTYPE html><html><head><title>Maintenance</title></head></html>",
                      "text/html")
        elif p.startswith("/truncated/"):
            with open(os.path.join(ROOT, os.path.basename(p)), "rb") as f:
                body = f.read()
            self.send(200, body[: len(body) // 2])
        elif p == "/flip":
            with LOCK:
                name = "A.json" if COUNTS[p] % 2 else "B.json"
            self.serve_file(name)
        elif p.startswith("/redirect?to="):
            self.send(302, b"", extra=[("Location", p[len("/redirect?to="):])])
        elif p.startswith("/plain/"):
            with open(os.path.join(ROOT, os.path.basename(p)), "rb") as f:
                self.send(200, f.read())
        elif p.startswith("/changes/"):
            every = int(p[len("/changes/"):])
            with LOCK:
                name = "A.json" if ((COUNTS[p] - 1) // every) % 2 == 0 else "B.json"
            with open(os.path.join(ROOT, name), "rb") as f:
                self.send(200, f.read())
        elif p == "/count":
            with LOCK:
                self.send(200, json.dumps(COUNTS).encode())
        elif p.startswith("/post/"):
            self.send(405, b"<html>POST only</html>", "text/html")
        else:
            self.serve_file(p.lstrip("/"))

    def do_POST(self):
        self.count()
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        ok = (self.path.startswith("/post/")
              and self.headers.get("Authorization") == "Bearer t0ken"
              and self.headers.get("Content-Type", "").startswith("application/json"))
        try:
            json.loads(body)
        except ValueError:
            ok = False
        if not ok:
            return self.send(401, b'{"code": "UNAUTHORIZED", "message": "bad request"}')
        self.serve_file(self.path[len("/post/"):])


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


server = Server(("127.0.0.1", 0), Handler)
if len(sys.argv) > 3 and sys.argv[3] == "--tls":
    import ssl
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(sys.argv[4], sys.argv[5])
    server.socket = tls.wrap_socket(server.socket, server_side=True)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
