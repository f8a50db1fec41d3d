package io.flockerdocker.sim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.flockerdocker.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Docker volume plugin client that speaks exactly like dockerd over the unix socket: POST, an
 * empty {@code Host:}, no Content-Type, the JSON body followed by a newline, keep-alive. Used by
 * the demo, the fault runs, the benchmarks and the multi-node tests. Not thread-safe: one
 * connection, one request at a time.
 */
public final class PluginClient implements AutoCloseable {
  private final Path socket;
  private SocketChannel channel;

  public PluginClient(Path socket) {
    this.socket = socket;
  }

  /** An answer: the HTTP status and the JSON body. */
  public record Reply(int status, JsonNode body) {
    public String err() {
      return body.path("Err").asText("");
    }

    public boolean ok() {
      return status == 200 && err().isEmpty();
    }

    public String mountpoint() {
      return body.path("Mountpoint").asText("");
    }
  }

  public Reply create(String name, Map<String, String> opts) throws IOException {
    return call("/VolumeDriver.Create", Map.of("Name", name, "Opts", opts));
  }

  public Reply mount(String name, String id) throws IOException {
    return call("/VolumeDriver.Mount", Map.of("Name", name, "ID", id));
  }

  public Reply unmount(String name, String id) throws IOException {
    return call("/VolumeDriver.Unmount", Map.of("Name", name, "ID", id));
  }

  public Reply remove(String name) throws IOException {
    return call("/VolumeDriver.Remove", Map.of("Name", name));
  }

  public Reply get(String name) throws IOException {
    return call("/VolumeDriver.Get", Map.of("Name", name));
  }

  public Reply path(String name) throws IOException {
    return call("/VolumeDriver.Path", Map.of("Name", name));
  }

  public Reply list() throws IOException {
    return call("/VolumeDriver.List", Map.of());
  }

  public Reply call(String path, Object body) throws IOException {
    return raw(path, (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code body} as is (for bad-input tests); reconnects once if the peer had closed. */
  public Reply raw(String path, byte[] body) throws IOException {
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: \r\nUser-Agent: Go-http-client/1.1\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Accept: application/vnd.docker.plugins.v1.2+json\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    ByteBuffer request = ByteBuffer.allocate(head.length + body.length).put(head).put(body);
    for (int attempt = 0; ; attempt++) {
      try {
        SocketChannel ch = connection();
        request.flip();
        while (request.hasRemaining()) {
          ch.write(request);
        }
        return readReply(ch);
      } catch (IOException e) {
        closeQuietly();
        if (attempt > 0) {
          throw e;
        }
        request.position(request.limit());
      }
    }
  }

  private SocketChannel connection() throws IOException {
    if (channel == null || !channel.isOpen()) {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
    }
    return channel;
  }

  private static Reply readReply(SocketChannel ch) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    int headerEnd = -1;
    int contentLength = -1;
    while (true) {
      byte[] soFar = buf.toByteArray();
      if (headerEnd < 0) {
        headerEnd = indexOf(soFar, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headerEnd >= 0) {
          contentLength = contentLength(new String(soFar, 0, headerEnd,
              StandardCharsets.US_ASCII));
        }
      }
      if (headerEnd >= 0 && soFar.length >= headerEnd + 4 + contentLength) {
        String head = new String(soFar, 0, headerEnd, StandardCharsets.US_ASCII);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        byte[] body = java.util.Arrays.copyOfRange(soFar, headerEnd + 4,
            headerEnd + 4 + contentLength);
        JsonNode json = body.length == 0 ? Json.mapper().createObjectNode()
            : Json.mapper().readTree(body);
        return new Reply(status, json);
      }
      chunk.clear();
      if (ch.read(chunk) < 0) {
        throw new IOException("plugin closed the connection before a full reply");
      }
      buf.write(chunk.array(), 0, chunk.position());
    }
  }

  private static int contentLength(String head) throws IOException {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    throw new IOException("reply without Content-Length: " + head);
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException ignored) {
      // the connection is being replaced anyway
    }
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
