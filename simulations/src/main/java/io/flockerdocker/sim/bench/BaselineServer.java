package io.flockerdocker.sim.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The baseline of the latency suite: the least an HTTP responder on a unix socket can do. A
 * thread per connection blocks in read (as the agent's bridge does), finds the end of each
 * request and writes one fixed 200 JSON reply, so agent/baseline is the agent's own cost.
 */
final class BaselineServer implements AutoCloseable {
  private static final byte[] BODY = "{\"Err\":\"\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REPLY = ("HTTP/1.1 200 OK\r\n"
      + "Content-Type: application/vnd.docker.plugins.v1.2+json\r\n"
      + "Content-Length: " + BODY.length + "\r\n\r\n{\"Err\":\"\"}")
      .getBytes(StandardCharsets.US_ASCII);

  private final Path path;
  private final ServerSocketChannel server;

  BaselineServer(Path path) throws IOException {
    this.path = path;
    Files.deleteIfExists(path);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    Thread acceptor = new Thread(this::accept, "baseline-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  Path path() {
    return path;
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel ch = server.accept();
        Thread t = new Thread(() -> serve(ch), "baseline-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  /** Reads request after request: header up to a blank line, then Content-Length bytes. */
  private static void serve(SocketChannel ch) {
    ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    try (ch) {
      while (true) {
        int end = -1;
        int need = Integer.MAX_VALUE;
        while (in.position() < need) {
          if (ch.read(in) < 0) {
            return;
          }
          if (end < 0) {
            end = blankLine(in);
            if (end >= 0) {
              need = end + 4 + contentLength(in, end);
            }
          }
        }
        ByteBuffer out = ByteBuffer.wrap(REPLY);
        while (out.hasRemaining()) {
          ch.write(out);
        }
        // keep whatever the client already sent of its next request
        in.flip();
        in.position(need);
        in.compact();
      }
    } catch (IOException ignored) {
      // the client went away
    }
  }

  private static int blankLine(ByteBuffer b) {
    byte[] a = b.array();
    for (int i = 0; i + 3 < b.position(); i++) {
      if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static int contentLength(ByteBuffer b, int end) {
    String head = new String(b.array(), 0, end, StandardCharsets.US_ASCII);
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(path);
  }
}
