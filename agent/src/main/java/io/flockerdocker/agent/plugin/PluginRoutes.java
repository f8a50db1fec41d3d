package io.flockerdocker.agent.plugin;

import io.flockerdocker.agent.AgentSettings;
import io.flockerdocker.agent.status.AgentMetrics;
import io.flockerdocker.agent.volume.MountTable;
import io.flockerdocker.agent.volume.NodeRef;
import io.flockerdocker.agent.volume.VolumeCommands;
import io.flockerdocker.agent.volume.VolumeName;
import io.flockerdocker.agent.volume.VolumeOptions;
import io.flockerdocker.agent.volume.VolumeView;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
import io.flockerdocker.protocol.docker.ActivateResponse;
import io.flockerdocker.protocol.docker.CapabilitiesResponse;
import io.flockerdocker.protocol.docker.CreateRequest;
import io.flockerdocker.protocol.docker.ErrResponse;
import io.flockerdocker.protocol.docker.GetResponse;
import io.flockerdocker.protocol.docker.ListResponse;
import io.flockerdocker.protocol.docker.MountRequest;
import io.flockerdocker.protocol.docker.MountResponse;
import io.flockerdocker.protocol.docker.NameRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker VolumeDriver v1 endpoints. Get, List, Path, Capabilities and Activate answer from
 * the {@link VolumeView} at once; Create, Mount and Remove ask the volume's entity, Unmount
 * this node's MountTable (see unmount); none of them blocks. Every reply is HTTP 200 JSON; every failure goes through {@link PluginErrors}.
 */
public final class PluginRoutes extends AllDirectives {
  /** Bodies are a name and a few options; anything bigger is hostile or broken. */
  public static final int MAX_BODY_BYTES = 64 * 1024;
  /** The ask outlives the command's own deadline so the entity's error, not ours, is shown. */
  static final Duration ASK_SLACK = Duration.ofSeconds(2);
  static final int MAX_MOUNT_ID_LENGTH = 256;
  private static final List<String> ENDPOINTS =
      List.of("Plugin.Activate", "VolumeDriver.Capabilities", "VolumeDriver.Create",
          "VolumeDriver.Remove", "VolumeDriver.Mount", "VolumeDriver.Path",
          "VolumeDriver.Unmount", "VolumeDriver.Get", "VolumeDriver.List");
  private static final Logger log = LoggerFactory.getLogger(PluginRoutes.class);

  private final ActorSystem<?> system;
  private final AgentSettings settings;
  private final NodeRef self;
  private final VolumeView view;
  private final Function<String, RecipientRef<VolumeCommands.Command>> entities;
  private final Clock clock;
  private final java.util.function.BooleanSupplier quorum;
  private final PluginErrors errors = new PluginErrors();
  private final AgentMetrics metrics;
  private static final Duration FIRST_ATTEMPT = Duration.ofSeconds(2);

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
      Clock clock, java.util.function.BooleanSupplier quorum, AgentMetrics metrics) {
    this.quorum = quorum;
    this.system = system;
    this.settings = settings;
    this.self = self;
    this.view = view;
    this.entities = entities;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Every endpoint; never rejects, so it needs no sealing (anything else gets a JSON 404). */
  public Route route() {
    ExceptionHandler lastResort =
        ExceptionHandler.newBuilder()
            .matchAny(e -> complete(errors.failed("?", null, Duration.ZERO, e)))
            .build();
    return handleExceptions(lastResort, () -> concat(
        endpoint("Plugin.Activate", () -> errors.ok(ActivateResponse.volumeDriver())),
        endpoint("VolumeDriver.Capabilities", () -> errors.ok(CapabilitiesResponse.global())),
        // dockerd sends "{}" to List; there is nothing in it worth refusing a listing over
        endpoint("VolumeDriver.List", () -> {
          log.debug("[VolumeDriver.List]");
          return errors.ok(ListResponse.of(view.list()));
        }),
        endpoint("VolumeDriver.Get", NameRequest.class, NameRequest::name, this::get),
        endpoint("VolumeDriver.Path", NameRequest.class, NameRequest::name, this::path),
        endpoint("VolumeDriver.Create", CreateRequest.class, CreateRequest::name, this::create),
        endpoint("VolumeDriver.Mount", MountRequest.class, MountRequest::name, this::mount),
        endpoint("VolumeDriver.Unmount", MountRequest.class, MountRequest::name, this::unmount),
        endpoint("VolumeDriver.Remove", NameRequest.class, NameRequest::name, this::remove),
        unknown()));
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
    return this.<VolumeCommands.Created>changeAsk(
            name, replyTo -> new VolumeCommands.Create(self, options, deadline, replyTo), wait)
        .thenApply(created -> {
          // tell the view now: dockerd's very next call is a Get of this name
          view.learnCreated(created.dataset());
          log.info("[VolumeDriver.Create] volume [{}] dataset [{}]", name,
              created.dataset().datasetId());
          return errors.ok(ErrResponse.ok());
        })
        .exceptionally(e -> errors.failed("VolumeDriver.Create", name, wait, e));
  }

  private CompletionStage<HttpResponse> mount(MountRequest req, String name) {
    String id = validMountId(req.id());
    Duration wait = settings.mountTimeout().plus(ASK_SLACK);
    long deadline = clock.millis() + settings.mountTimeout().toMillis();
    return this.<VolumeCommands.Mounted>changeAsk(
            name, replyTo -> new VolumeCommands.Mount(self, id, deadline, replyTo), wait)
        .thenApply(mounted -> {
          log.info("[VolumeDriver.Mount] volume [{}] id [{}] at [{}]", name, id,
              mounted.mountpoint());
          return errors.ok(MountResponse.at(mounted.mountpoint()));
        })
        .exceptionally(e -> errors.failed("VolumeDriver.Mount", name, wait, e));
  }

  /**
   * Unmount is this node's own business: the mount id is dropped from this node's journaled
   * MountTable and Docker is answered at once, whatever the cluster or the control service is
   * doing (a container must always be able to stop). When the volume's last mount here is gone,
   * its entity is told to check and give back the lease; if that message is lost (its node
   * dying), the LeaseJanitor finds the lease held without a mount and asks again.
   */
  private CompletionStage<HttpResponse> unmount(MountRequest req, String name) {
    String id = validMountId(req.id());
    Duration wait = settings.shortTimeout();
    return AskPattern.<MountTable.Command, MountTable.Count>askWithStatus(self.mountTable(),
            replyTo -> new MountTable.Drop(name, id, replyTo), wait, system.scheduler())
        .thenApply(count -> {
          if (!count.known()) {
            log.warn("[VolumeDriver.Unmount] volume [{}] id [{}] is not mounted on [{}]; ignored",
                name, id, self.name());
          } else if (count.mounts() == 0) {
            log.info("[VolumeDriver.Unmount] volume [{}] id [{}], its last mount on [{}]; "
                + "releasing its lease", name, id, self.name());
            entities.apply(name).tell(new VolumeCommands.CheckLease(Long.MAX_VALUE));
          } else {
            log.info("[VolumeDriver.Unmount] volume [{}] id [{}], {} mount(s) left on [{}]",
                name, id, count.mounts(), self.name());
          }
          return errors.ok(ErrResponse.ok());
        })
        .exceptionally(e -> errors.failed("VolumeDriver.Unmount", name, wait, e));
  }

  private CompletionStage<HttpResponse> remove(NameRequest req, String name) {
    Duration wait = settings.shortTimeout().plus(ASK_SLACK);
    long deadline = clock.millis() + settings.shortTimeout().toMillis();
    return this.<Done>changeAsk(name, replyTo -> new VolumeCommands.Remove(self, deadline, replyTo),
            wait)
        .thenApply(ack -> {
          view.learnRemoved(name);
          log.info("[VolumeDriver.Remove] volume [{}]", name);
          return errors.ok(ErrResponse.ok());
        })
        .exceptionally(e -> errors.failed("VolumeDriver.Remove", name, wait, e));
  }

  /** An ask that changes the volume: refused at once on the minority side of a partition. */
  private <T> CompletionStage<T> changeAsk(String name,
      Function<ActorRef<StatusReply<T>>, VolumeCommands.Command> command, Duration wait) {
    if (!quorum.getAsBoolean()) {
      return java.util.concurrent.CompletableFuture.failedFuture(new StatusReply.ErrorMessage(
          "node " + self.name() + " cannot reach a majority of the cluster; refusing to change "
              + "volume " + name + " until the partition heals"));
    }
    return ask(name, command, wait);
  }

  private <T> CompletionStage<T> ask(String name,
      Function<ActorRef<StatusReply<T>>, VolumeCommands.Command> command, Duration wait) {
    return attempt(name, command, clock.millis() + wait.toMillis(), FIRST_ATTEMPT);
  }

  /**
   * Cluster Sharding delivers at most once: a command sent to a node that has just died is
   * lost, and a single ask would wait out Docker's whole budget for nothing. So the same command
   * (same deadline, which the entity uses to recognise a repeat and answer it from its recent
   * replies) is sent again after 2, 4, 8... s until an answer or the budget's end.
   */
  private <T> CompletionStage<T> attempt(String name,
      Function<ActorRef<StatusReply<T>>, VolumeCommands.Command> command, long end,
      Duration step) {
    long left = end - clock.millis();
    Duration timeout = Duration.ofMillis(Math.max(1, Math.min(step.toMillis(), left)));
    return AskPattern.<VolumeCommands.Command, T>askWithStatus(entities.apply(name),
            command::apply, timeout, system.scheduler())
        .exceptionallyCompose(e -> {
          Throwable cause = e instanceof java.util.concurrent.CompletionException
              && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof java.util.concurrent.TimeoutException
              && end - clock.millis() > 0) {
            return attempt(name, command, end, step.multipliedBy(2));
          }
          return CompletableFuture.failedFuture(e);
        });
  }

  /** POST /{endpoint} whose body is ignored (Activate sends none, List and Capabilities "{}"). */
  private Route endpoint(String endpoint, Supplier<HttpResponse> reply) {
    return body(endpoint, bytes -> done(reply.get()));
  }

  /**
   * POST /{endpoint} whose body names one volume: parsed into {@code type}, the name validated,
   * then {@code act}; a failure after parsing is reported with the volume's name.
   */
  private <R> Route endpoint(String endpoint, Class<R> type, Function<R, String> nameOf,
      BiFunction<R, String, CompletionStage<HttpResponse>> act) {
    return body(endpoint, bytes -> {
      R req = Json.read(bytes, type);
      String name = nameOf.apply(req);
      try {
        VolumeName.problem(name).ifPresent(p -> {
          throw new IllegalArgumentException(p);
        });
        return act.apply(req, name);
      } catch (RuntimeException e) {
        return done(errors.failed(endpoint, name, Duration.ZERO, e));
      }
    });
  }

  /** Reads at most MAX_BODY_BYTES of the body, whatever its Content-Type, and hands it on. */
  private Route body(String endpoint, Handler handler) {
    return path(endpoint, () -> post(() -> extractRequestEntity(entity -> {
      // dockerd sends no Content-Type: take the raw bytes, never an unmarshaller that wants JSON.
      // A declared length over the limit is refused before reading a byte of it; a chunked
      // body fails in toStrict with EntityStreamSizeException once it passes the limit.
      long started = System.nanoTime();
      long declared = entity.getContentLengthOption().orElse(0L);
      CompletionStage<HttpEntity.Strict> strictBody = declared > MAX_BODY_BYTES
          ? CompletableFuture.failedFuture(new PluginErrors.TooLarge(declared, MAX_BODY_BYTES))
          : entity.toStrict(settings.shortTimeout().toMillis(), MAX_BODY_BYTES, system);
      CompletionStage<HttpResponse> reply =
          strictBody
              .thenCompose(strict -> {
                try {
                  return handler.handle(strict.getData().toArray());
                } catch (ProtocolException | RuntimeException e) {
                  return done(errors.failed(endpoint, null, Duration.ZERO, e));
                }
              })
              .exceptionally(e -> errors.failed(endpoint, null, Duration.ZERO, e));
      return completeWithFuture(metrics == null ? reply : reply.thenApply(r -> {
        metrics.pluginRequest(endpoint, PluginErrors.carriesErr(r), System.nanoTime() - started);
        return r;
      }));
    })));
  }

  /** Anything dockerd never sends: a JSON Err with 405 for a known path, else 404. */
  private Route unknown() {
    return extractRequest(req -> {
      req.discardEntityBytes(system);
      String path = req.getUri().path();
      String method = req.method().value();
      if (ENDPOINTS.contains(path.substring(1)) && !req.method().equals(HttpMethods.POST)) {
        return complete(errors.unknown(StatusCodes.METHOD_NOT_ALLOWED,
            "method " + method + " not allowed on " + path + ": use POST"));
      }
      return complete(errors.unknown(StatusCodes.NOT_FOUND,
          "unknown endpoint " + method + " " + PluginErrors.shown(path)));
    });
  }

  private static String validMountId(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("missing mount ID");
    }
    if (id.length() > MAX_MOUNT_ID_LENGTH) {
      throw new IllegalArgumentException(
          "invalid mount ID: longer than " + MAX_MOUNT_ID_LENGTH + " characters");
    }
    return id;
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  /** One endpoint's work on the raw body; may throw for a body it cannot use. */
  @FunctionalInterface
  private interface Handler {
    CompletionStage<HttpResponse> handle(byte[] body) throws ProtocolException;
  }
}
