package io.flockerdocker.agent.status;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One HTTP/1.1 POST over a unix socket, written like dockerd (no Content-Type); returns the body. */
final class UdsHttp {
  private UdsHttp() {}

  static String post(Path socket, String path, String body) throws IOException {
    return post(socket, path, body, null);
  }

  /** As {@link #post(Path, String, String)} with one extra header line (no CRLF), if not null. */
  static String post(Path socket, String path, String body, String header) throws IOException {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      byte[] b = (body + "\n").getBytes(StandardCharsets.UTF_8);
      String head = "POST " + path + " HTTP/1.1\r\nHost: \r\nContent-Length: " + b.length
          + (header == null ? "" : "\r\n" + header) + "\r\nConnection: close\r\n\r\n";
      ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      ch.write(ByteBuffer.wrap(b));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(8192);
      while (ch.read(buf) >= 0) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      String reply = out.toString(StandardCharsets.UTF_8);
      return reply.substring(reply.indexOf("\r\n\r\n") + 4);
    }
  }
}
