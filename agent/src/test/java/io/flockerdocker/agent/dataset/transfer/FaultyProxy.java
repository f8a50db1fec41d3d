package io.flockerdocker.agent.dataset.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A one-connection loopback TCP proxy that damages the server→client direction: either flips
 * the byte right after the first occurrence of a marker, or cuts the connection after n bytes.
 */
final class FaultyProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final Thread thread;

  private FaultyProxy(int upstreamPort, byte[] marker, long cutAfter) throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    thread = new Thread(() -> run(upstreamPort, marker, cutAfter), "faulty-proxy");
    thread.setDaemon(true);
    thread.start();
  }

  static FaultyProxy flipAfter(int upstreamPort, String marker) throws IOException {
    return new FaultyProxy(upstreamPort, marker.getBytes(StandardCharsets.UTF_8), Long.MAX_VALUE);
  }

  static FaultyProxy cutAfter(int upstreamPort, long bytes) throws IOException {
    return new FaultyProxy(upstreamPort, null, bytes);
  }

  int port() {
    return listener.getLocalPort();
  }

  private void run(int upstreamPort, byte[] marker, long cutAfter) {
    try (Socket down = listener.accept();
        Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
      Thread requests = new Thread(() -> pump(down, up), "faulty-proxy-up");
      requests.setDaemon(true);
      requests.start();
      InputStream in = up.getInputStream();
      OutputStream out = down.getOutputStream();
      byte[] buf = new byte[8192];
      long sent = 0;
      int matched = 0;
      boolean flipped = marker == null;
      for (int n; (n = in.read(buf)) > 0; ) {
        for (int i = 0; i < n && !flipped; i++) {
          if (matched == marker.length) {
            buf[i] ^= 0x01;
            flipped = true;
          } else {
            matched = buf[i] == marker[matched] ? matched + 1 : (buf[i] == marker[0] ? 1 : 0);
          }
        }
        int allowed = (int) Math.min(n, cutAfter - sent);
        out.write(buf, 0, allowed);
        sent += allowed;
        if (sent >= cutAfter) {
          return; // closes both sockets mid-stream
        }
      }
    } catch (IOException e) {
      // a proxy for tests: the client under test reports what it saw
    }
  }

  private static void pump(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // closed by the other direction
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
