package io.flockerdocker.sim.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The "network" in front of one local agent's data channel: a loopback TCP forwarder that the
 * agent advertises instead of its own port, so a harness can slow every transfer down ({@link
 * #setDelay}) or cut the connections of transfers in flight ({@link #cut}) without any hook in
 * production code. Bytes pass unchanged (TLS stays end to end).
 */
public final class DataProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final Set<Socket> live = ConcurrentHashMap.newKeySet();
  private final AtomicLong connections = new AtomicLong();
  private volatile long delayMillis;
  private volatile boolean closed;

  private DataProxy(ServerSocket server, int target) {
    this.server = server;
    this.target = target;
  }

  /** Listens on {@code port} of 127.0.0.1 (0 = any free port) and forwards to {@code target}. */
  public static DataProxy start(int port, int target) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    DataProxy proxy = new DataProxy(server, target);
    Thread accept = new Thread(proxy::acceptLoop, "data-proxy-" + server.getLocalPort());
    accept.setDaemon(true);
    accept.start();
    return proxy;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Every new connection waits this long before it reaches the agent (a slow network). */
  public void setDelay(Duration delay) {
    delayMillis = delay.toMillis();
  }

  /** Drops every connection in flight (both sides see a reset); returns how many there were. */
  public int cut() {
    int n = 0;
    for (Socket s : live) {
      closeQuietly(s);
      n++;
    }
    return n / 2;
  }

  /** Connections accepted since start. */
  public long connections() {
    return connections.get();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    cut();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket in = server.accept();
        connections.incrementAndGet();
        Thread t = new Thread(() -> forward(in), "data-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!closed) {
          System.err.println("[DataProxy] accept failed: " + e);
        }
        return;
      }
    }
  }

  private void forward(Socket in) {
    live.add(in);
    Socket out = new Socket();
    live.add(out);
    try {
      long delay = delayMillis;
      if (delay > 0) {
        Thread.sleep(delay);
      }
      out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
      Thread back = new Thread(() -> pump(out, in), "data-proxy-back");
      back.setDaemon(true);
      back.start();
      pump(in, out);
      back.join();
    } catch (IOException e) {
      // the agent is down: the client sees the connection close, as on a real network
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(in);
      closeQuietly(out);
      live.remove(in);
      live.remove(out);
    }
  }

  /** Copies until either side ends, then closes both so the other direction ends too. */
  private static void pump(Socket from, Socket to) {
    byte[] buf = new byte[256 * 1024];
    try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
      int n;
      while ((n = i.read(buf)) >= 0) {
        o.write(buf, 0, n);
      }
    } catch (IOException e) {
      // a cut or a reset: fall through and close both
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
