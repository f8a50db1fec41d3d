package io.flockerdocker.agent.status;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.flockerdocker.agent.cluster.NodeInfo;
import io.flockerdocker.agent.plugin.UnixSocketServer;
import io.flockerdocker.agent.volume.VolumeCommands;
import io.flockerdocker.protocol.Json;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's state-changing calls, served only on the admin unix socket (root or the admin
 * group): {@code POST /v1/volumes/{name}/release?from=NODE[&force=true]}. Each call is one AUDIT
 * line naming the caller (the socket peer's user), the volume, the node, force and the outcome.
 */
public final class AdminRoutes extends AllDirectives {
  /** The second flag force needs while the holder is reachable (query parameter and CLI flag). */
  public static final String CONFIRM = "i-understand-this-breaks-a-live-mount";
  private static final Duration ASK = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);

  private final StatusRoutes.Context c;

  public AdminRoutes(StatusRoutes.Context context) {
    this.c = context;
  }

  public Route route() {
    return concat(
        path(segment("health").slash("live"), () -> get(() -> json(200, Map.of("live", true)))),
        path(segment("v1").slash("volumes").slash(segment()).slash("release"),
            name -> post(() -> parameter("from", from -> parameterOptional("force", force ->
                parameterOptional(CONFIRM, confirm -> optionalHeaderValueByName(
                    UnixSocketServer.PEER_HEADER, peer -> onSuccess(release(name, from,
                        isTrue(force), isTrue(confirm), peer.orElse("admin socket")),
                        r -> r))))))));
  }

  private CompletionStage<Route> release(String name, String from, boolean force,
      boolean confirmed, String who) {
    Optional<NodeInfo> live = c.nodes().all().stream()
        .filter(n -> n.name().equals(from) || n.uuid().equals(from))
        // reachable member, announced mount table or not: one that just (re)started still counts
        .filter(n -> n.reachable() && n.member()).findFirst();
    if (force && !confirmed && live.isPresent()) {
      // a reachable holder may still have running containers writing to the volume: forcing
      // takes the lease away under them, so it needs to be said twice
      String why = from + " is up and reachable: --force would drop the mounts of containers"
          + " that may still be running there, and the volume would move under them; stop"
          + " them first, or if none runs, add --" + CONFIRM;
      audit(name, from, force, confirmed, who, "refused: holder reachable, no --" + CONFIRM);
      return CompletableFuture.completedFuture(json(409, Map.of("error", why)));
    }
    long deadline = System.currentTimeMillis() + ASK.toMillis();
    return AskPattern.<VolumeCommands.Command, VolumeCommands.ReleaseReply>ask(
            c.entities().apply(name),
            r -> new VolumeCommands.Release(UUID.randomUUID().toString(), from,
                "admin-socket " + who + "@" + c.nodeName(), force, deadline, r),
            ASK.plusSeconds(1), c.scheduler())
        .thenApply(r -> {
          if (r instanceof VolumeCommands.Refused refused) {
            String why = refused.failure().message();
            audit(name, from, force, confirmed, who, "refused: " + why);
            return json(409, Map.of("error", why));
          }
          audit(name, from, force, confirmed, who, "released");
          return json(200, Map.of("released", name, "from", from));
        })
        .exceptionally(e -> {
          audit(name, from, force, confirmed, who, "failed: no answer: " + e.getMessage());
          return json(504, Map.of("error", "volume " + name + " did not answer: "
              + e.getMessage()));
        });
  }

  private static void audit(String name, String from, boolean force, boolean confirmed,
      String who, String outcome) {
    log.warn("AUDIT release volume [{}] from node [{}] by [{}] force [{}] outcome [{}]", name,
        from, who, force ? (confirmed ? "yes, confirmed" : "yes") : "no", outcome);
  }

  private static boolean isTrue(Optional<String> v) {
    return v.map(s -> s.isEmpty() || "true".equalsIgnoreCase(s)).orElse(false);
  }

  private Route json(int status, Object body) {
    return complete(HttpResponse.create().withStatus(StatusCodes.get(status))
        .withEntity(ContentTypes.APPLICATION_JSON, Json.writeBytes(body)));
  }
}
