package io.flockerdocker.agent.plugin;

import io.flockerdocker.agent.config.AgentSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.headers.Host;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.io.TcpSO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.duration.FiniteDuration;

/**
 * Starts the Docker plugin API where dockerd looks for it: the unix socket always, plus the
 * optional loopback TCP listener of {@code .spec}-file setups, both serving the same route and
 * both registered with CoordinatedShutdown so the socket disappears before the cluster leave.
 */
public final class PluginServer {
  /** Pekko's default request-timeout (20 s) would cut a Mount short with a 503. */
  static final Duration REQUEST_TIMEOUT_SLACK = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(PluginServer.class);

  private final UnixSocketServer unixSocket;
  private final Optional<ServerBinding> tcp;

  private PluginServer(UnixSocketServer unixSocket, Optional<ServerBinding> tcp) {
    this.unixSocket = unixSocket;
    this.tcp = tcp;
  }

  /**
   * Binds the socket now (a stale file is replaced, a live one refused) and the TCP listener if
   * configured; completes when both are bound, or fails with the reason the agent cannot start.
   */
  public static CompletionStage<PluginServer> start(
      ActorSystem<?> system, AgentSettings settings, Route route) {
    return start(system, settings, route, Optional.empty());
  }

  /**
   * Same, on the socket {@code early} already listens on when given ({@code plugin.listen-early}:
   * dockerd's connects succeeded since then, their requests are answered from now on).
   */
  public static CompletionStage<PluginServer> start(ActorSystem<?> system, AgentSettings settings,
      Route route, Optional<UnixSocketServer.Listening> early) {
    ServerSettings serverSettings = serverSettings(system, settings);
    UnixSocketServer uds;
    try {
      uds = early.isPresent()
          ? UnixSocketServer.serve(system, early.get(), route.flow(system), SocketAccess.PLUGIN,
              serverSettings, settings.maxConnections())
          : UnixSocketServer.bind(system, settings.socketPath(), route.flow(system),
              serverSettings, settings.maxConnections());
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    uds.addToCoordinatedShutdown();
    if (settings.tcpListener().isEmpty()) {
      return CompletableFuture.completedFuture(new PluginServer(uds, Optional.empty()));
    }
    AgentSettings.HostPort hp = settings.tcpListener().get();
    return Http.get(system)
        .newServerAt(hp.host(), hp.port())
        // the engine writes small requests and waits for each reply: Nagle only adds delay
        .withSettings(serverSettings.withSocketOptions(List.of(TcpSO.tcpNoDelay(true))))
        .bind(route)
        .thenApply(binding -> {
          binding.addToCoordinatedShutdown(settings.shortTimeout(), system);
          log.info("Docker plugin API also listening on tcp [{}]", binding.localAddress());
          return new PluginServer(uds, Optional.of(binding));
        })
        .whenComplete((server, failure) -> {
          if (failure != null) {
            uds.close(); // do not leave a half-started plugin for dockerd to find
          }
        });
  }

  /**
   * Pekko's server settings with the empty-Host fallback dockerd needs, the configured idle
   * timeout (dockerd keeps idle connections), a request timeout above Mount's whole budget, and
   * the connection cap.
   */
  public static ServerSettings serverSettings(ActorSystem<?> system, AgentSettings settings) {
    ServerSettings s = ServerSettings.create(system.classicSystem());
    if (s.getDefaultHostHeader().host().isEmpty()) {
      // engines <= 24 send "Host:" empty on the socket; Pekko answers 400 without a default
      s = s.withDefaultHostHeader(Host.create("docker-plugin"));
    }
    Duration request =
        settings.mountTimeout().plus(EntityAsks.ASK_SLACK).plus(REQUEST_TIMEOUT_SLACK);
    return s.withTimeouts(s.getTimeouts()
            .withIdleTimeout(finite(settings.idleTimeout()))
            .withRequestTimeout(finite(request)))
        .withMaxConnections(settings.maxConnections());
  }

  public UnixSocketServer unixSocket() {
    return unixSocket;
  }

  public Optional<ServerBinding> tcp() {
    return tcp;
  }

  private static FiniteDuration finite(Duration d) {
    return FiniteDuration.create(d.toMillis(), TimeUnit.MILLISECONDS);
  }
}
