package io.flockerdocker.agent.plugin;

import static io.flockerdocker.agent.plugin.EntityAsks.ASK_SLACK;
import static io.flockerdocker.agent.plugin.PluginEndpoints.done;
import static io.flockerdocker.agent.plugin.PluginEndpoints.validMountId;

import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.support.LogText;
import io.flockerdocker.agent.catalog.VolumeView;
import io.flockerdocker.agent.metrics.AgentMetrics;
import io.flockerdocker.agent.mounts.MountTable;
import io.flockerdocker.agent.volume.NodeRef;
import io.flockerdocker.agent.volume.VolumeCommands;
import io.flockerdocker.agent.volume.VolumeError;
import io.flockerdocker.agent.volume.VolumeFailure;
import io.flockerdocker.agent.volume.VolumeOptions;
import io.flockerdocker.protocol.docker.ActivateResponse;
import io.flockerdocker.protocol.docker.CapabilitiesResponse;
import io.flockerdocker.protocol.docker.CreateRequest;
import io.flockerdocker.protocol.docker.ErrResponse;
import io.flockerdocker.protocol.docker.GetResponse;
import io.flockerdocker.protocol.docker.MountRequest;
import io.flockerdocker.protocol.docker.MountResponse;
import io.flockerdocker.protocol.docker.NameRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker VolumeDriver v1 endpoints. Get, List, Path, Capabilities and Activate answer from
 * the {@link VolumeView} at once; Create, Mount and Remove ask the volume's entity (via
 * {@link EntityAsks}), Unmount this node's MountTable (see unmount); none of them blocks. Every
 * reply is HTTP 200 JSON; every failure goes through {@link PluginErrors}.
 */
public final class PluginRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(PluginRoutes.class);
  /** A reservation outlives the Mount's ask by this much, then no longer counts (a safety net). */
  private static final Duration RESERVATION_SLACK = Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final AgentSettings settings;
  private final NodeRef self;
  private final VolumeView view;
  private final Clock clock;
  private final PluginErrors errors = new PluginErrors();
  private final PluginEndpoints endpoints;
  private final EntityAsks asks;

  /** {@code entities} finds a volume's entity by name (in production: sharding.entityRefFor). */
  public PluginRoutes(ActorSystem<?> system, AgentSettings settings, NodeRef self,
      VolumeView view, Function<String, RecipientRef<VolumeCommands.Command>> entities) {
    this(system, settings, self, view, entities, Clock.systemUTC());
  }

  public PluginRoutes(ActorSystem<?> system, AgentSettings settings, NodeRef self,
      VolumeView view, Function<String, RecipientRef<VolumeCommands.Command>> entities,
      Clock clock) {
    this(system, settings, self, view, entities, clock, () -> true, null);
  }

  /**
   * {@code quorum} says whether this node reaches a majority of the cluster right now; when it
   * does not, Create, Mount and Remove are refused here at once instead of being sent to an
   * entity that may live on the far side of the partition (and never answer). {@code metrics}:
   * where every reply is counted and timed; null counts nothing.
   */
  public PluginRoutes(ActorSystem<?> system, AgentSettings settings, NodeRef self,
      VolumeView view, Function<String, RecipientRef<VolumeCommands.Command>> entities,
      Clock clock, BooleanSupplier quorum, AgentMetrics metrics) {
    this.system = system;
    this.settings = settings;
    this.self = self;
    this.view = view;
    this.clock = clock;
    this.endpoints = new PluginEndpoints(system, settings, errors, metrics);
    this.asks = new EntityAsks(system, self, entities, clock, quorum);
  }

  /** Every endpoint; never rejects, so it needs no sealing (anything else gets a JSON 404). */
  public Route route() {
    ExceptionHandler lastResort =
        ExceptionHandler.newBuilder()
            .matchAny(e -> complete(errors.failed("?", null, Duration.ZERO, e)))
            .build();
    return handleExceptions(lastResort, () -> concat(
        endpoints.endpoint("Plugin.Activate", () -> errors.ok(ActivateResponse.volumeDriver())),
        endpoints.endpoint("VolumeDriver.Capabilities",
            () -> errors.ok(CapabilitiesResponse.global())),
        // dockerd sends "{}" to List; there is nothing in it worth refusing a listing over
        endpoints.endpoint("VolumeDriver.List", () -> {
          log.debug("[VolumeDriver.List]");
          return errors.okJson(view.listJson());
        }),
        endpoints.endpoint("VolumeDriver.Get", NameRequest.class, NameRequest::name, this::get),
        endpoints.endpoint("VolumeDriver.Path", NameRequest.class, NameRequest::name, this::path),
        endpoints.endpoint("VolumeDriver.Create", CreateRequest.class, CreateRequest::name,
            this::create),
        endpoints.endpoint("VolumeDriver.Mount", MountRequest.class, MountRequest::name,
            this::mount),
        endpoints.endpoint("VolumeDriver.Unmount", MountRequest.class, MountRequest::name,
            this::unmount),
        endpoints.endpoint("VolumeDriver.Remove", NameRequest.class, NameRequest::name,
            this::remove),
        endpoints.unknown()));
  }

  private CompletionStage<HttpResponse> get(NameRequest req, String name) {
    log.debug("[VolumeDriver.Get] volume [{}]", name);
    return done(errors.ok(
        view.get(name).map(GetResponse::found).orElseGet(() -> GetResponse.notFound(name))));
  }

  private CompletionStage<HttpResponse> path(NameRequest req, String name) {
    log.debug("[VolumeDriver.Path] volume [{}]", name);
    return done(errors.ok(MountResponse.at(view.path(name))));
  }

  private CompletionStage<HttpResponse> create(CreateRequest req, String name) {
    VolumeOptions options = VolumeOptions.parse(req.opts());
    Duration wait = settings.mountTimeout().plus(ASK_SLACK);
    long deadline = clock.millis() + settings.mountTimeout().toMillis();
    String request = EntityAsks.newRequestId();
    return asks.<VolumeCommands.CreateReply, VolumeCommands.Created>changeAsk(name,
            VolumeCommands.Created.class,
            replyTo -> new VolumeCommands.Create(request, self, options, deadline, replyTo), wait)
        .thenApply(created -> {
          // tell the view now: dockerd's very next call is a Get of this name
          view.learnCreated(created.dataset());
          log.info("[VolumeDriver.Create] volume [{}] dataset [{}]", name,
              created.dataset().datasetId());
          return errors.ok(ErrResponse.ok());
        })
        .exceptionally(e -> errors.failed("VolumeDriver.Create", name, wait, e));
  }

  /**
   * Mount: reserve the volume in this node's MountTable, ask its entity for it, record the grant
   * in this node's MountTable (journaled), and only then answer dockerd. The reservation counts as
   * a mount from before the ask until the record, and the table pushes that count to the entity:
   * the volume never looks free between the grant and the record. The Mount carries the seq of
   * that push, so the entity ignores an older push (a 0 from a last Unmount just before). A
   * failed Mount, or a grant that cannot be recorded, drops its reservation: the table pushes
   * the count without it, and a 0 makes the entity give the lease back.
   */
  private CompletionStage<HttpResponse> mount(MountRequest req, String name) {
    String id = validMountId(req.id());
    Duration wait = settings.mountTimeout().plus(ASK_SLACK);
    long deadline = clock.millis() + settings.mountTimeout().toMillis();
    String request = EntityAsks.newRequestId();
    long until = clock.millis() + wait.plus(RESERVATION_SLACK).toMillis();
    return AskPattern.<MountTable.Command, MountTable.Reserved>ask(self.mountTable(),
            replyTo -> new MountTable.Reserve(name, request, until, replyTo),
            settings.shortTimeout(), system.scheduler())
        .thenCompose(reserved -> asks.<VolumeCommands.MountReply, VolumeCommands.Granted>changeAsk(
            name, VolumeCommands.Granted.class,
            replyTo -> new VolumeCommands.Mount(request, self, id, reserved.seq(), deadline,
                replyTo), wait))
        .exceptionallyCompose(e -> {
          unreserve(name, request);
          return CompletableFuture.failedFuture(withLastKnownHolder(name, e));
        })
        .thenCompose(granted -> record(name, id, request, granted))
        .thenApply(granted -> {
          // tell the view now: dockerd (or the user) may Get or Path the volume right away, and
          // the entity that moved it may live on another node, whose poll this node's view is not
          view.learnMounted(granted.datasetId(), granted.mountpoint());
          log.info("[VolumeDriver.Mount] volume [{}] id [{}] at [{}] on [{}]", name,
              LogText.escape(id), granted.mountpoint(), self.name());
          return errors.ok(MountResponse.at(granted.mountpoint()));
        })
        .exceptionally(e -> errors.failed("VolumeDriver.Mount", name, wait, e));
  }

  /** Records a granted Mount in this node's MountTable in place of its reservation. */
  private CompletionStage<VolumeCommands.Granted> record(String name, String id, String request,
      VolumeCommands.Granted granted) {
    return AskPattern.<MountTable.Command, MountTable.Count>askWithStatus(self.mountTable(),
            replyTo -> new MountTable.Record(name, id, request, granted.takeOver(), replyTo),
            settings.shortTimeout(), system.scheduler())
        .thenApply(count -> granted)
        .exceptionallyCompose(e -> {
          log.warn("[VolumeDriver.Mount] volume [{}] granted to [{}] but not recorded there: {}; "
              + "its lease goes back unless it is mounted there", name, self.name(),
              PluginErrors.unwrap(e).getMessage());
          unreserve(name, request);
          return CompletableFuture.failedFuture(e);
        });
  }

  private void unreserve(String name, String request) {
    self.mountTable().tell(new MountTable.Unreserve(name, request, system.ignoreRef()));
  }

  /**
   * A Mount that failed because the control service is unreachable names the node that held the
   * volume at the last poll, if another one did: the user learns where it is in use even while
   * its actor cannot check (e.g. a fresh actor that could not load its state). Only words: nothing
   * is decided on this possibly stale view.
   */
  private Throwable withLastKnownHolder(String name, Throwable e) {
    if (!(PluginErrors.unwrap(e) instanceof VolumeError error
        && error.failure() instanceof VolumeFailure.ControlUnreachable unreachable)) {
      return e;
    }
    Object holder = view.get(name).map(v -> v.status() == null ? null : v.status().get("mountedOn"))
        .orElse(null);
    if (holder == null || holder.equals(self.name())) {
      return e;
    }
    return new VolumeError(unreachable.withLastKnownHolder(holder.toString()));
  }

  /**
   * Unmount is this node's own business: the mount id is dropped from this node's journaled
   * MountTable and Docker is answered at once, whatever the cluster or the control service is
   * doing (a container must always be able to stop). The table pushes the volume's new count to
   * its entity (re-sent until acknowledged); a 0 makes the entity give the lease back.
   */
  private CompletionStage<HttpResponse> unmount(MountRequest req, String name) {
    String id = validMountId(req.id());
    // dockerd's ID is client text: escaped in every log line so it cannot forge another line
    String shownId = LogText.escape(id);
    Duration wait = settings.shortTimeout();
    return AskPattern.<MountTable.Command, MountTable.Count>askWithStatus(self.mountTable(),
            replyTo -> new MountTable.Drop(name, id, replyTo), wait, system.scheduler())
        .thenApply(count -> {
          if (!count.known()) {
            log.warn("[VolumeDriver.Unmount] volume [{}] id [{}] is not mounted on [{}]; ignored",
                name, shownId, self.name());
          } else if (count.mounts() == 0) {
            log.info("[VolumeDriver.Unmount] volume [{}] id [{}], its last mount on [{}]; "
                + "its lease goes back", name, shownId, self.name());
          } else {
            log.info("[VolumeDriver.Unmount] volume [{}] id [{}], {} mount(s) left on [{}]",
                name, shownId, count.mounts(), self.name());
          }
          return errors.ok(ErrResponse.ok());
        })
        .exceptionally(e -> errors.failed("VolumeDriver.Unmount", name, wait, e));
  }

  private CompletionStage<HttpResponse> remove(NameRequest req, String name) {
    Duration wait = settings.shortTimeout().plus(ASK_SLACK);
    long deadline = clock.millis() + settings.shortTimeout().toMillis();
    String request = EntityAsks.newRequestId();
    return asks.<VolumeCommands.RemoveReply, VolumeCommands.Removed>changeAsk(name,
            VolumeCommands.Removed.class,
            replyTo -> new VolumeCommands.Remove(request, self, deadline, replyTo), wait)
        .thenApply(ack -> {
          view.learnRemoved(name);
          log.info("[VolumeDriver.Remove] volume [{}]", name);
          return errors.ok(ErrResponse.ok());
        })
        .exceptionally(e -> errors.failed("VolumeDriver.Remove", name, wait, e));
  }
}
