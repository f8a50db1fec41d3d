package io.flockerdocker.agent.plugin;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.TLSProtocol;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an HTTP handler on a unix socket, which neither Pekko HTTP nor Pekko IO can bind: a JDK
 * ServerSocketChannel accepts, and each connection runs through Pekko HTTP's serverLayer with
 * blocking read/write stages on {@code flocker-docker-uds-dispatcher} (jvm-stack.md section 3).
 */
public final class UnixSocketServer implements AutoCloseable {
  /** sun_path is 108 bytes on Linux, including the terminating NUL. */
  public static final int MAX_PATH_BYTES = 107;
  public static final String DISPATCHER = "flocker-docker-uds-dispatcher";
  /** Set on every request to the connected process's credentials; a client's copy is dropped. */
  public static final String PEER_HEADER = "X-Flocker-Docker-Peer";
  private static final int READ_CHUNK = 64 * 1024;
  private static final Logger log = LoggerFactory.getLogger(UnixSocketServer.class);

  private final ActorSystem<?> system;
  private final Path path;
  private final ServerSocketChannel server;
  private final Flow<HttpRequest, HttpResponse, NotUsed> handler;
  private final SocketAccess access;
  private final ServerSettings serverSettings;
  private final int maxConnections;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean unbound = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private UnixSocketServer(ActorSystem<?> system, Path path, ServerSocketChannel server,
      Flow<HttpRequest, HttpResponse, NotUsed> handler, SocketAccess access,
      ServerSettings serverSettings, int maxConnections) {
    this.system = system;
    this.path = path;
    this.server = server;
    this.handler = handler;
    this.access = access;
    this.serverSettings = serverSettings;
    this.maxConnections = maxConnections;
  }

  /** The Docker plugin API's socket: mode 0660, owner's group. */
  public static UnixSocketServer bind(ActorSystem<?> system, Path path,
      Flow<HttpRequest, HttpResponse, NotUsed> handler, ServerSettings serverSettings,
      int maxConnections) throws IOException {
    return bind(system, path, handler, SocketAccess.PLUGIN, serverSettings, maxConnections);
  }

  /**
   * Binds {@code path} (mode and group from {@code access}, parents created) and starts
   * accepting. Refuses a path over sun_path's limit and a socket some live process still
   * answers on; replaces a stale one.
   */
  public static UnixSocketServer bind(ActorSystem<?> system, Path path,
      Flow<HttpRequest, HttpResponse, NotUsed> handler, SocketAccess access,
      ServerSettings serverSettings, int maxConnections) throws IOException {
    return serve(system, listen(path, access), handler, access, serverSettings, maxConnections);
  }

  /**
   * A socket bound and listening at {@code path}, not accepting yet: a client's connect
   * succeeds and its request waits in the backlog until {@link #serve}. Same checks as {@link
   * #bind}.
   */
  public static Listening listen(Path path, SocketAccess access) throws IOException {
    Path socket = path.toAbsolutePath();
    int length = socket.toString().getBytes(StandardCharsets.UTF_8).length;
    if (length > MAX_PATH_BYTES) {
      throw new IOException("socket path " + socket + " is " + length
          + " bytes; a unix socket path can have at most " + MAX_PATH_BYTES);
    }
    Files.createDirectories(socket.getParent());
    removeStale(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socket));
      // bind leaves umask permissions; in production the parent directory is 0700 (0750)
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(access.mode()));
      if (access.group().isPresent()) {
        Files.getFileAttributeView(socket, PosixFileAttributeView.class,
            LinkOption.NOFOLLOW_LINKS).setGroup(access.group().get());
      }
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return new Listening(socket, server);
  }

  /** Starts accepting on a socket {@link #listen} bound. */
  public static UnixSocketServer serve(ActorSystem<?> system, Listening listening,
      Flow<HttpRequest, HttpResponse, NotUsed> handler, SocketAccess access,
      ServerSettings serverSettings, int maxConnections) {
    UnixSocketServer s = new UnixSocketServer(system, listening.path(), listening.channel(),
        handler, access, serverSettings, maxConnections);
    Thread acceptor = new Thread(s::acceptLoop, "flocker-docker-uds-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    log.info("{} listening on unix socket [{}] (mode {})", access.label(), listening.path(),
        access.mode());
    return s;
  }

  /** A bound, listening socket nobody accepts on yet ({@link #listen}). */
  public record Listening(Path path, ServerSocketChannel channel) implements AutoCloseable {
    /** Closes the channel and removes the socket file (for a start that fails before serve). */
    @Override
    public void close() {
      closeQuietly(channel);
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        log.warn("could not delete unix socket [{}]: {}", path, e.toString());
      }
    }
  }

  /** A socket file left by a dead process is removed; one a process answers on is not. */
  private static void removeStale(Path socket) throws IOException {
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    PosixFileAttributes attrs =
        Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attrs.isOther()) {
      throw new IOException(socket + " exists and is not a socket; refusing to replace it");
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(socket));
      throw new IOException("another process serves " + socket + "; refusing to start");
    } catch (ConnectException refused) {
      log.info("removing stale unix socket [{}] (no process listens on it)", socket);
      Files.deleteIfExists(socket);
    }
  }

  public Path path() {
    return path;
  }

  /** Connections currently open (for status and tests). */
  public int openConnections() {
    return open.size();
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (ClosedChannelException closed) {
        return; // unbind() closed the listener
      } catch (IOException e) {
        log.error("accepting on unix socket [{}] failed", path, e);
        return;
      }
      if (open.size() >= maxConnections) {
        log.warn("unix socket [{}]: {} connections open, closing a new one", path,
            maxConnections);
        closeQuietly(ch);
      } else {
        open.add(ch);
        // close() may have swept `open` between accept and add: it sets `closed` first, so
        // checking after the add means no connection outlives close()
        if (closed.get()) {
          open.remove(ch);
          closeQuietly(ch);
        } else {
          serve(ch);
        }
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void serve(SocketChannel ch) {
    // TLSPlacebo's inbound side is SessionBytes, a subtype of the SslTlsInbound serverLayer
    // wants; Java generics cannot say so, hence the raw cast
    BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound,
        NotUsed> placebo = (BidiFlow) TLSPlacebo.getInstance();
    // serverLayer is single-use: one per connection
    // the peer header is set here, after any copy the client sent is dropped, so routes can
    // trust it to say who asked
    String peer = SocketAccess.peer(ch);
    Flow<ByteString, ByteString, NotUsed> bytes = Flow.of(HttpRequest.class)
        .map(r -> (HttpRequest) r.removeHeader(PEER_HEADER).addHeader(RawHeader.create(
            PEER_HEADER, peer)))
        .via(handler).join(Http.get(system).serverLayer(serverSettings).atop(placebo));
    Attributes io = ActorAttributes.dispatcher(DISPATCHER);
    StreamConverters.fromInputStream(() -> new ChannelStreams.In(ch), READ_CHUNK)
        .withAttributes(io)
        .via(bytes)
        .runWith(
            StreamConverters.fromOutputStream(() -> new ChannelStreams.Out(ch), true).withAttributes(io),
            system)
        .whenComplete((result, failure) -> {
          closeQuietly(ch);
          open.remove(ch);
        });
  }

  /** Stops accepting and deletes the socket file, so dockerd sees the plugin go away. */
  public void unbind() {
    if (unbound.compareAndSet(false, true)) {
      closeQuietly(server);
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        log.warn("could not delete unix socket [{}]: {}", path, e.toString());
      }
      log.info("{} closed unix socket [{}]", access.label(), path);
    }
  }

  /** Unbinds and closes every open connection. */
  @Override
  public void close() {
    unbind();
    closed.set(true);
    open.forEach(UnixSocketServer::closeQuietly);
  }

  /**
   * Unbinds in {@code service-unbind} (before the node leaves the cluster) and drops the
   * remaining connections in {@code service-stop}, after in-flight requests had their chance.
   */
  public void addToCoordinatedShutdown() {
    CoordinatedShutdown cs = CoordinatedShutdown.get(system);
    cs.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "flocker-docker-uds-unbind", () -> {
      unbind();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    cs.addTask(CoordinatedShutdown.PhaseServiceStop(), "flocker-docker-uds-close", () -> {
      close();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing is best effort: the peer may have gone already
    }
  }
}
