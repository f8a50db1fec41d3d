package io.flockerdocker.agent;

import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.plugin.PluginRoutes;
import io.flockerdocker.agent.plugin.PluginServer;
import io.flockerdocker.agent.plugin.UnixSocketServer;
import io.flockerdocker.agent.status.AdminRoutes;
import io.flockerdocker.agent.status.AdminServer;
import io.flockerdocker.agent.status.Metrics;
import io.flockerdocker.agent.status.Readiness;
import io.flockerdocker.agent.status.StatusRoutes;
import io.flockerdocker.agent.status.TcpGuard;
import io.flockerdocker.agent.volume.VolumeCommands;
import io.flockerdocker.agent.volume.VolumeEntity;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.Http;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production servers: the read-only status endpoint and the admin socket at once (so {@code
 * /health/ready} can say why the node is not ready), and the Docker plugin socket once the first Flocker read has filled the
 * volume view. A server that cannot bind stops the agent with the reason in {@link #failure}.
 */
public final class AgentServers implements Guardian.Servers {
  private static final Logger log = LoggerFactory.getLogger(AgentServers.class);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Optional<UnixSocketServer.Listening> earlyPluginSocket;

  public AgentServers() {
    this(Optional.empty());
  }

  /** {@code earlyPluginSocket}: the plugin socket AgentMain already listens on (plugin.listen-early). */
  public AgentServers(Optional<UnixSocketServer.Listening> earlyPluginSocket) {
    this.earlyPluginSocket = earlyPluginSocket;
  }

  /** Why the agent could not serve, if it could not. */
  public Throwable failure() {
    return failure.get();
  }

  @Override
  public void start(ActorSystem<?> system, Guardian.Wiring w) {
    AgentSettings s = w.deps().settings();
    Cluster cluster = Cluster.get(system);
    Readiness readiness =
        new Readiness(() -> cluster.selfMember().status().equals(MemberStatus.up()),
            w.deps().mountTableHealth()::problem);
    Function<String, RecipientRef<VolumeCommands.Command>> entities =
        name -> w.sharding().entityRefFor(VolumeEntity.TYPE_KEY, name);
    StatusRoutes status = new StatusRoutes(new StatusRoutes.Context(s.nodeName(), s.nodeUuid(),
        readiness, w.deps().nodes(), w.deps().catalog(), entities, system.scheduler(),
        Metrics.route(w.deps().metrics().registry())));
    Http.get(system).newServerAt(s.status().host(), s.status().port())
        .bind(new TcpGuard(s.status().host()).guard(status::route))
        .whenComplete((binding, e) -> {
          if (e != null) {
            fail(system, "cannot bind the status endpoint on " + s.status().host() + ":"
                + s.status().port(), e);
          } else {
            binding.addToCoordinatedShutdown(s.shortTimeout(), system);
            log.info("status endpoint on http://{}", binding.localAddress());
          }
        });
    startAdmin(system, s, status.context());
    PluginRoutes plugin = new PluginRoutes(system, s, w.self(), w.deps().catalog(), entities,
        w.deps().clock(), w.deps().nodes()::inMajority, w.deps().metrics());
    w.deps().catalog().loaded()
        .thenCompose(x -> PluginServer.start(system, s, plugin.route(), earlyPluginSocket))
        .whenComplete((server, e) -> {
          if (e != null) {
            fail(system, "cannot serve the Docker plugin socket " + s.socketPath(), e);
          } else {
            readiness.socketServing(true);
            log.info("serving Docker volume driver 'flocker' on [{}]", s.socketPath());
          }
        });
  }

  /** Operator actions (release) only on the admin unix socket: root or the admin group. */
  private void startAdmin(ActorSystem<?> system, AgentSettings s, StatusRoutes.Context c) {
    try {
      AdminServer.Settings admin = AdminServer.Settings.create(system.settings().config());
      if (AdminServer.start(system, s, admin, new AdminRoutes(c).route()).isEmpty()) {
        log.info("status.admin-socket is empty: operator actions (release) are off here");
      }
    } catch (java.io.IOException | RuntimeException e) {
      fail(system, "cannot serve the admin socket", e);
    }
  }

  private void fail(ActorSystem<?> system, String what, Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
        ? e.getCause() : e;
    failure.compareAndSet(null, new IllegalStateException(what + ": " + cause.getMessage(),
        cause));
    log.error("{}: {}; stopping", what, cause.getMessage());
    system.terminate();
  }
}
