package io.flockerdocker.agent.plugin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A client that writes exactly the bytes dockerd writes (empty Host, no Content-Type, body plus
 * "\n") on a unix socket and reads HTTP/1.1 responses off a keep-alive connection by hand.
 */
final class RawClient implements AutoCloseable {
  /** Reads run here so that a server that never answers fails the test instead of hanging it. */
  private static final ExecutorService readers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "raw-client-reader");
    t.setDaemon(true);
    return t;
  });

  final SocketChannel ch;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  private RawClient(SocketChannel ch) {
    this.ch = ch;
  }

  static RawClient connect(Path socket) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(socket));
    return new RawClient(ch);
  }

  /** The request dockerd 20.10 sends for {@code endpoint} with this JSON body. */
  static byte[] dockerd(String endpoint, String json) {
    byte[] body = json.isEmpty() ? new byte[0] : (json + "\n").getBytes(StandardCharsets.UTF_8);
    String head = "POST /" + endpoint + " HTTP/1.1\r\nHost: \r\nUser-Agent: Go-http-client/1.1\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Accept: application/vnd.docker.plugins.v1.2+json\r\n\r\n";
    byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head8.length + body.length];
    System.arraycopy(head8, 0, all, 0, head8.length);
    System.arraycopy(body, 0, all, head8.length, body.length);
    return all;
  }

  void write(byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  /** Sends a dockerd-style request and reads its response. */
  Response call(String endpoint, String json) throws Exception {
    write(dockerd(endpoint, json));
    return read();
  }

  /** The next response; fails after 10 s rather than hang the build on a server bug. */
  Response read() throws Exception {
    Future<Response> f = readers.submit(this::readBlocking);
    try {
      return f.get(10, TimeUnit.SECONDS);
    } finally {
      f.cancel(true);
    }
  }

  /**
   * True when the server closed the connection instead of answering: EOF, or a reset when it
   * closed the listener with this connection still in the accept backlog.
   */
  boolean closedByServer() throws Exception {
    Future<Boolean> f = readers.submit(() -> {
      try {
        return ch.read(ByteBuffer.allocate(1)) == -1;
      } catch (IOException reset) {
        return true;
      }
    });
    return f.get(10, TimeUnit.SECONDS);
  }

  private Response readBlocking() throws IOException {
    byte[] data = pending.toByteArray();
    int headEnd;
    while ((headEnd = indexOf(data, "\r\n\r\n")) < 0) {
      data = more(data);
    }
    String[] lines = new String(data, 0, headEnd, StandardCharsets.US_ASCII).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(),
          lines[i].substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    int bodyStart = headEnd + 4;
    while (data.length < bodyStart + length) {
      data = more(data);
    }
    pending.reset();
    pending.write(data, bodyStart + length, data.length - bodyStart - length);
    String body = new String(data, bodyStart, length, StandardCharsets.UTF_8);
    return new Response(status, headers, body);
  }

  private byte[] more(byte[] data) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    if (ch.read(buf) < 0) {
      throw new IOException("server closed the connection");
    }
    byte[] next = new byte[data.length + buf.position()];
    System.arraycopy(data, 0, next, 0, data.length);
    System.arraycopy(buf.array(), 0, next, data.length, buf.position());
    return next;
  }

  private static int indexOf(byte[] data, String marker) {
    byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + m.length <= data.length; i++) {
      for (int j = 0; j < m.length; j++) {
        if (data[i + j] != m[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }

  record Response(int status, Map<String, String> headers, String body) {}
}
