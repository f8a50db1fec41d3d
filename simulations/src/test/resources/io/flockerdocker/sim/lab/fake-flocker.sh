#!/usr/bin/env bash
# A stand-in for `java -jar agent-*-all.jar` that checks DockerCluster's use of the launcher
# contract (ca, node-config, control, agent) without the real services: every call is logged to
# $FAKE_CALLS; control and agent are tiny python3 servers (plugin socket, /health/ready).
set -euo pipefail
echo "$*" >> "${FAKE_CALLS:?}"
flag() { local want=$1; shift; while [ $# -gt 1 ]; do [ "$1" = "$want" ] && { echo "$2"; return; }; shift; done; return 1; }
case "$1 ${2:-}" in
  "ca init") mkdir -p "$(flag --dir "$@")"; touch "$(flag --dir "$@")/cluster.crt" ;;
  "ca node") d=$(flag --dir "$@")/$(flag --name "$@"); mkdir -p "$d"; touch "$d/node.crt"
             echo "issued $d" >&2; echo "00000000-0000-4000-8000-00000000000${d: -1}" ;;
  node-config*) echo "# node-config $*"; echo "name = $(flag --name "$@")" ;;
  control*) mkdir -p "$(flag --data "$@")"; exec python3 -m http.server --bind "$(flag --listen "$@")" --directory "$(flag --data "$@")" "$(flag --port "$@")" ;;
  agent*) grep -q '^name = host' "$(flag --config "$@")"
          exec python3 -c '
import http.server, os, socketserver, threading
SOCK = "/run/docker/plugins/flocker.sock"
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def reply(self, code, body):
        self.send_response(code); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def do_GET(self): self.reply(200 if self.path == "/health/ready" else 404, b"")
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.reply(200, b"{\"Implements\":[\"VolumeDriver\"]}" if self.path == "/Plugin.Activate" else b"{\"Volumes\":[],\"Err\":\"\"}")
class U(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    def get_request(self):
        c, _ = self.socket.accept(); return c, ("unix", 0)
if os.path.exists(SOCK): os.unlink(SOCK)
threading.Thread(target=U(SOCK, H).serve_forever, daemon=True).start()
print("fake agent ready", flush=True)
http.server.ThreadingHTTPServer(("127.0.0.1", 4530), H).serve_forever()
' ;;
  *) echo "fake-flocker: unexpected call: $*" >&2; exit 2 ;;
esac
