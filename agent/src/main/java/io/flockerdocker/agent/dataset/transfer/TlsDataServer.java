package io.flockerdocker.agent.dataset.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data channel's server: an accept thread hands each connection to a bounded pool (beyond
 * {@link #MAX_CONNECTIONS} it answers {@code ERR busy}); each {@link ServerConnection} serves one
 * pull. Plain TCP only on a loopback address; with TLS, TLS 1.3 AES-GCM and client certificates.
 */
public final class TlsDataServer implements DataServer {
  private static final Logger log = LoggerFactory.getLogger(TlsDataServer.class);
  static final int MAX_CONNECTIONS = 16;
  private static final int BUSY_TIMEOUT_MS = 2000;

  private final ServerSocket listener;
  private final SourceResolver resolver;
  private final Duration idleTimeout;
  private final ThreadPoolExecutor pool;
  private final Set<Socket> live = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  private TlsDataServer(ServerSocket listener, SourceResolver resolver, Duration idleTimeout) {
    this.listener = listener;
    this.resolver = resolver;
    this.idleTimeout = idleTimeout;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            0, MAX_CONNECTIONS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
            r -> daemon(r, "data-server-conn-" + n.incrementAndGet()));
    this.acceptor = daemon(this::acceptLoop, "data-server-accept-" + listener.getLocalPort());
  }

  /** Binds and starts accepting. {@code tls} null = plain TCP, allowed only on loopback. */
  public static TlsDataServer start(
      String bindHost, int port, SSLContext tls, SourceResolver resolver, Duration idleTimeout) {
    try {
      InetAddress address = InetAddress.getByName(bindHost);
      if (tls == null && !address.isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "plain TCP data channel refused on non-loopback address " + bindHost);
      }
      ServerSocket listener;
      if (tls == null) {
        listener = new ServerSocket();
      } else {
        SSLServerSocket ssl = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
        ssl.setEnabledProtocols(DataPlaneTls.PROTOCOLS);
        ssl.setEnabledCipherSuites(DataPlaneTls.SUITES);
        ssl.setNeedClientAuth(true);
        listener = ssl;
      }
      listener.setReuseAddress(true);
      listener.bind(new InetSocketAddress(address, port), 64);
      TlsDataServer server = new TlsDataServer(listener, resolver, idleTimeout);
      server.acceptor.start();
      log.info("data channel listening on [{}:{}] ({})", bindHost, server.port(),
          tls == null ? "plain TCP, loopback" : "TLS 1.3");
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + bindHost + ":" + port, e);
    }
  }

  @Override
  public int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          log.error("data channel accept failed, no longer serving: {}", e.toString());
        }
        return;
      }
      live.add(socket);
      try {
        pool.execute(() -> serve(socket));
      } catch (RejectedExecutionException full) {
        log.warn("refusing data connection from [{}]: busy", socket.getRemoteSocketAddress());
        refuseBusy(socket);
      }
    }
  }

  private void serve(Socket socket) {
    try {
      new ServerConnection(socket, resolver, idleTimeout).run();
    } finally {
      live.remove(socket);
      closeQuietly(socket);
    }
  }

  /** Busy: answered on the accept thread, so a stalling client may hold it only briefly. */
  private void refuseBusy(Socket socket) {
    try {
      socket.setSoTimeout(BUSY_TIMEOUT_MS);
      socket.getOutputStream().write("ERR busy\n".getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
    } catch (IOException e) {
      log.debug("cannot tell [{}] we are busy: {}", socket.getRemoteSocketAddress(), e.toString());
    } finally {
      live.remove(socket);
      closeQuietly(socket);
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    live.forEach(TlsDataServer::closeQuietly);
    pool.shutdownNow();
    try {
      acceptor.join(10_000);
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("data channel threads still running 10 s after close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      log.debug("close failed: {}", e.toString());
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
