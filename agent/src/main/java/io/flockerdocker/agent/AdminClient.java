package io.flockerdocker.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One HTTP/1.1 POST to the agent's admin unix socket (CLI and tests) (the JDK HTTP client cannot dial one). The
 * agent closes the connection after the reply ({@code Connection: close}), so the body is all
 * that follows the head.
 */
public final class AdminClient {
  /** The status.admin-socket default of reference.conf. */
  public static final String DEFAULT_PATH = "/run/flocker-docker/admin.sock";

  /** A reply: HTTP status and body. */
  public record Reply(int status, String body) {}

  /** Why the socket could not be used, in one line an operator can act on. */
  public static final class Unreachable extends IOException {
    Unreachable(String message) {
      super(message);
    }
  }

  private AdminClient() {}

  public static Reply post(Path socket, String pathAndQuery) throws IOException {
    SocketChannel ch;
    try {
      ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    } catch (SocketException e) {
      throw unreachable(socket, e);
    }
    try (ch) {
      String head = "POST " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Length: 0\r\nConnection: close\r\n\r\n";
      ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(8192);
      while (ch.read(buf) >= 0) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      String reply = out.toString(StandardCharsets.UTF_8);
      int end = reply.indexOf("\r\n\r\n");
      String[] status = reply.split(" ", 3);
      if (end < 0 || status.length < 2 || !status[0].startsWith("HTTP/")) {
        throw new IOException("the agent at " + socket + " sent no HTTP reply");
      }
      return new Reply(Integer.parseInt(status[1]), reply.substring(end + 4));
    }
  }

  /** Missing socket and permission denied are the two an operator meets; each gets its fix. */
  private static Unreachable unreachable(Path socket, SocketException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("Permission denied")) {
      return new Unreachable("permission denied on the admin socket " + socket
          + ": run as root (or as a member of status.admin-group)");
    }
    if (m.contains("No such file") || !Files.exists(socket)) {
      return new Unreachable("no admin socket at " + socket + " (is the agent running on this"
          + " host, and is status.admin-socket right? --socket PATH overrides)");
    }
    if (m.contains("Connection refused")) {
      return new Unreachable("nothing listens on the admin socket " + socket
          + " (is the agent running?)");
    }
    return new Unreachable("cannot use the admin socket " + socket + ": " + m);
  }
}
