package io.flockerdocker.sim.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The timing client of every suite: dockerd's exact request bytes over a unix socket, reply read
 * by Content-Length into a reused buffer and never JSON-parsed, so its own cost stays tiny and is
 * the same against the agent and against the baseline responder. One request at a time.
 */
final class BenchClient implements AutoCloseable {
  private final Path socket;
  private final boolean keepAlive;
  private SocketChannel channel;
  private ByteBuffer in = ByteBuffer.allocate(64 * 1024);
  private int bodyStart;
  private int bodyLength;

  BenchClient(Path socket, boolean keepAlive) {
    this.socket = socket;
    this.keepAlive = keepAlive;
  }

  /** The request bytes dockerd sends: POST, empty Host, no Content-Type, body plus newline. */
  static byte[] request(String endpoint, String json) {
    byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] head = ("POST /" + endpoint + " HTTP/1.1\r\nHost: \r\nUser-Agent: Go-http-client/1.1\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Accept: application/vnd.docker.plugins.v1.2+json\r\nAccept-Encoding: gzip\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** Sends one request and reads the whole reply; returns the HTTP status. */
  int send(byte[] request) throws IOException {
    if (channel == null || !keepAlive) {
      close();
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
    }
    ByteBuffer out = ByteBuffer.wrap(request);
    while (out.hasRemaining()) {
      channel.write(out);
    }
    in.clear();
    int headerEnd = -1;
    int need = Integer.MAX_VALUE;
    while (in.position() < need) {
      if (!in.hasRemaining()) {
        ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
        in.flip();
        bigger.put(in);
        in = bigger;
      }
      if (channel.read(in) < 0) {
        throw new IOException("server closed the connection mid-reply");
      }
      if (headerEnd < 0) {
        headerEnd = indexOfBlankLine(in.array(), in.position());
        if (headerEnd >= 0) {
          bodyStart = headerEnd + 4;
          bodyLength = contentLength(new String(in.array(), 0, headerEnd,
              StandardCharsets.US_ASCII));
          need = bodyStart + bodyLength;
        }
      }
    }
    if (!keepAlive) {
      close();
    }
    return Integer.parseInt(new String(in.array(), 9, 3, StandardCharsets.US_ASCII));
  }

  /** The last reply's body, as text (only for checks, never in the timed path). */
  String body() {
    return new String(in.array(), bodyStart, bodyLength, StandardCharsets.UTF_8);
  }

  /** True when the last reply carried a non-empty "Err". */
  boolean lastHadErr() {
    String b = body();
    int i = b.indexOf("\"Err\":\"");
    return i >= 0 && b.charAt(i + 7) != '"';
  }

  private static int indexOfBlankLine(byte[] a, int end) {
    for (int i = 0; i + 3 < end; i++) {
      if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static int contentLength(String head) throws IOException {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    throw new IOException("reply without Content-Length: " + head);
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
