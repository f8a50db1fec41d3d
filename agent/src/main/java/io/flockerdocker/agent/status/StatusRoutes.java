package io.flockerdocker.agent.status;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.cluster.NodeInfo;
import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.mounts.MountTable;
import io.flockerdocker.agent.volume.VolumeCommands;
import io.flockerdocker.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The operator's HTTP view of one node: {@code /health/live}, {@code /health/ready}, {@code
 * /v1/status} (members and every volume with its holder) and {@code /v1/volumes/{name}} (one
 * volume's entity, last error included). Read-only: release is {@link AdminRoutes}'s.
 */
public final class StatusRoutes extends AllDirectives {
  private static final Duration ASK = Duration.ofSeconds(5);

  /** The node facts the routes show. */
  public record Context(
      String nodeName,
      String nodeUuid,
      Readiness readiness,
      Nodes nodes,
      VolumeCatalog catalog,
      Function<String, RecipientRef<VolumeCommands.Command>> entities,
      Scheduler scheduler,
      Route metrics) {}

  private final Context c;

  public StatusRoutes(Context context) {
    this.c = context;
  }

  public Context context() {
    return c;
  }

  public Route route() {
    return concat(
        path(segment("health").slash("live"), () -> get(() -> json(200, Map.of("live", true)))),
        path(segment("health").slash("ready"), () -> get(this::ready)),
        path(segment("v1").slash("status"), () -> get(() -> onSuccess(status(),
            body -> json(200, body)))),
        path(segment("v1").slash("volumes").slash(segment()),
            name -> get(() -> onSuccess(volume(name), r -> r))),
        path("metrics", () -> get(() -> c.metrics())));
  }

  private Route ready() {
    boolean ready = c.readiness().ready();
    return json(ready ? 200 : 503, ready ? Map.of("ready", true)
        : Map.of("ready", false, "reason", c.readiness().reason()));
  }

  private CompletionStage<Map<String, Object>> status() {
    return mountCounts().thenApply(mounts -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("node", c.nodeName());
      body.put("uuid", c.nodeUuid());
      body.put("ready", c.readiness().ready());
      List<Map<String, Object>> members = new ArrayList<>();
      for (NodeInfo n : c.nodes().all()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", n.name());
        m.put("uuid", n.uuid());
        m.put("address", n.address());
        m.put("status", n.status());
        m.put("reachable", n.reachable());
        m.put("unreachableSince", n.unreachableSince() == null ? null
            : n.unreachableSince().toString());
        members.add(m);
      }
      body.put("members", members);
      body.put("volumes", VolumeStates.rows(c.catalog().snapshot(), c.nodes(), mounts));
      return body;
    });
  }

  /** Every reachable node's mount counts, by node UUID; silent nodes are left out. */
  private CompletionStage<Map<String, Map<String, Integer>>> mountCounts() {
    Map<String, CompletableFuture<MountTable.Counts>> asks = new HashMap<>();
    for (NodeInfo n : c.nodes().all()) {
      if (n.available()) {
        asks.put(n.uuid(), AskPattern.<MountTable.Command, MountTable.Counts>ask(n.mountTable(),
            MountTable.Snapshot::new, ASK, c.scheduler()).toCompletableFuture()
            .exceptionally(e -> new MountTable.Counts(Map.of())));
      }
    }
    return CompletableFuture.allOf(asks.values().toArray(CompletableFuture[]::new))
        .thenApply(x -> {
          Map<String, Map<String, Integer>> out = new HashMap<>();
          asks.forEach((uuid, f) -> out.put(uuid, f.join().mounts()));
          return out;
        });
  }

  private CompletionStage<Route> volume(String name) {
    if (c.catalog().get(name).isEmpty()) {
      return CompletableFuture.completedFuture(json(404,
          Map.of("error", "no such volume: " + name)));
    }
    return AskPattern.<VolumeCommands.Command, VolumeCommands.VolumeStatus>ask(
            c.entities().apply(name),
            r -> new VolumeCommands.Inspect(Long.MAX_VALUE, r), ASK, c.scheduler())
        .thenCompose(this::withHolderCount)
        .thenApply(s -> json(200, s))
        .exceptionally(e -> json(504, Map.of("error", "volume " + name
            + " did not answer: " + e.getMessage())));
  }

  /**
   * The entity learns of Mounts, not of Unmounts (those are the holder's MountTable's), so its
   * count is replaced by the holder's table when that node answers.
   */
  private CompletionStage<VolumeCommands.VolumeStatus> withHolderCount(
      VolumeCommands.VolumeStatus s) {
    NodeInfo holder = c.nodes().all().stream()
        .filter(n -> n.available() && n.name().equals(s.mountedOn())).findFirst().orElse(null);
    if (holder == null) {
      return CompletableFuture.completedFuture(s);
    }
    return AskPattern.<MountTable.Command, MountTable.Count>ask(holder.mountTable(),
            r -> new MountTable.Get(s.name(), r), ASK, c.scheduler())
        .thenApply(count -> new VolumeCommands.VolumeStatus(s.name(), s.datasetId(),
            s.primary(), s.mountedOn(), count.mounts(), s.state(), s.lastError(),
            s.lastErrorAt()))
        .exceptionally(e -> s);
  }

  private Route json(int status, Object body) {
    return complete(HttpResponse.create().withStatus(StatusCodes.get(status))
        .withEntity(ContentTypes.APPLICATION_JSON, Json.writeBytes(body)));
  }
}
