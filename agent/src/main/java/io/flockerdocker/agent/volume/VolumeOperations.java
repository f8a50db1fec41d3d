package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.cluster.NodeInfo;
import io.flockerdocker.agent.flocker.FlockerException;
import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.agent.flocker.StateWatcher;
import io.flockerdocker.agent.volume.VolumeCommands.Created;
import io.flockerdocker.agent.volume.VolumeCommands.Mounted;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;

/**
 * The Flocker-facing steps of each volume command, as CompletionStages that read only the
 * {@link VolumeState} they are given and return the next one. The entity runs one at a time, so
 * these never race each other for one volume. Messages of {@link VolumeError} reach the Docker
 * user verbatim: they say what happened, where, and what to do.
 */
final class VolumeOperations {
  /** An operation's result and the state after it. */
  record Step<T>(VolumeState next, T value) {}

  private static final int CREATE_ATTEMPTS = 20;
  private static final Duration TABLE_TIMEOUT = Duration.ofSeconds(5);

  private final String name;
  private final VolumeDeps deps;
  private final Scheduler scheduler;
  private final Logger log;

  VolumeOperations(String name, VolumeDeps deps, Scheduler scheduler, Logger log) {
    this.name = name;
    this.deps = deps;
    this.scheduler = scheduler;
    this.log = log;
  }

  /** Rebuilds the state from Flocker (configuration, leases, state) and the holder's table. */
  CompletionStage<VolumeState> recover() {
    return deps.flocker().listDatasetsConfiguration().thenCompose(config -> {
      Optional<DatasetConfiguration> d = config.byName(name);
      if (d.isEmpty()) {
        return done(VolumeState.absent());
      }
      VolumeState free = VolumeState.free(d.get().datasetId(), d.get().primary());
      return deps.flocker().listLeases().thenCompose(leases -> leases.stream()
          .filter(l -> l.datasetId().equals(free.datasetId())).findFirst()
          .map(l -> holderState(free, l.nodeUuid()))
          .orElseGet(() -> done(free)));
    });
  }

  private CompletionStage<VolumeState> holderState(VolumeState free, String holder) {
    String path = deps.catalog().snapshot().manifestPath(free.datasetId(), holder).orElse(null);
    Optional<NodeInfo> node = deps.nodes().get(holder).filter(NodeInfo::available);
    if (node.isEmpty()) {
      return done(free.held(holder, -1, path));
    }
    return AskPattern.<MountTable.Command, MountTable.Count>ask(node.get().mountTable(),
            r -> new MountTable.Get(name, r), TABLE_TIMEOUT, scheduler)
        .thenApply(c -> free.held(holder, c.mounts(), path));
  }

  CompletionStage<Step<Created>> create(VolumeState s, VolumeCommands.Create c, int attempt) {
    return deps.flocker().listDatasetsConfiguration().thenCompose(config -> {
      Optional<DatasetConfiguration> existing = config.byName(name);
      if (existing.isPresent()) {
        DatasetConfiguration d = existing.get();
        VolumeState next = s.exists() ? s : VolumeState.free(d.datasetId(), d.primary());
        return done(new Step<>(next, new Created(d)));
      }
      CreateDatasetRequest request = new CreateDatasetRequest(c.node().uuid(), null,
          c.options().sizeBytes().orElse(deps.settings().defaultSizeBytes()), metadata(c));
      return deps.flocker().createDataset(request, Optional.of(config.tag()))
          .thenApply(d -> {
            log.info("volume [{}] created as dataset [{}] on node [{}]", name, d.datasetId(),
                c.node().name());
            return new Step<>(VolumeState.free(d.datasetId(), d.primary()), new Created(d));
          })
          .exceptionallyCompose(e -> {
            // every lease change anywhere changes the tag: re-read and try again
            if (FlockerException.of(e).filter(f -> f.is(Kind.CONFIGURATION_CHANGED)).isPresent()
                && attempt < CREATE_ATTEMPTS) {
              return create(s, c, attempt + 1);
            }
            return CompletableFuture.failedFuture(e);
          });
    });
  }

  private Map<String, String> metadata(VolumeCommands.Create c) {
    Map<String, String> m = new HashMap<>();
    m.put(DatasetConfiguration.NAME_KEY, name);
    m.put(VolumeCatalog.CREATED_AT_KEY, deps.clock().instant().toString());
    c.options().profile().ifPresent(p -> m.put("clusterhq:flocker:profile", p));
    return m;
  }

  CompletionStage<Step<Mounted>> mount(VolumeState s, VolumeCommands.Mount c) {
    String self = c.node().uuid();
    if (s.mountedOn(self) && s.holderPath() != null) {
      return count(c.node(), new MountTable.Add(name, c.mountId(), null))
          .thenApply(n -> new Step<>(s.withMounts(n.mounts()), new Mounted(s.holderPath())));
    }
    if (s.heldElsewhere(self)) {
      return failed(heldMessage(s), s);
    }
    if (!s.exists()) {
      return failed("no such volume: " + name, s);
    }
    Instant deadline = Instant.ofEpochMilli(c.deadline());
    CompletionStage<?> freed = s.holderUuid() != null && !s.mountedOn(self)
        ? releaseLease(s.datasetId()) : done(Done.getInstance());
    return freed
        .thenCompose(x -> acquireLease(s, self))
        .thenCompose(x -> bringHere(s, c.node(), deadline))
        .thenCompose(path -> count(c.node(), new MountTable.Add(name, c.mountId(), null))
            .thenApply(n -> new Step<>(s.held(self, n.mounts(), path), new Mounted(path))))
        .exceptionallyCompose(e -> {
          if (e instanceof VolumeError || e.getCause() instanceof VolumeError) {
            return CompletableFuture.failedFuture(e);
          }
          // the mount did not happen: give the lease back so nothing stays fenced for nobody
          return releaseLease(s.datasetId()).handle((ok, ignored) -> (Step<Mounted>) null)
              .thenCompose(x -> CompletableFuture.failedFuture(e));
        });
  }

  private CompletionStage<Lease> acquireLease(VolumeState s, String self) {
    Optional<Double> ttl = deps.settings().leaseTtl().map(d -> d.toMillis() / 1000.0);
    return deps.flocker().acquireLease(s.datasetId(), self, ttl).exceptionallyCompose(e -> {
      if (FlockerException.of(e).filter(f -> f.is(Kind.LEASE_HELD)).isEmpty()) {
        return CompletableFuture.failedFuture(e);
      }
      // someone we did not know of holds it (another entity incarnation, an operator): name it
      return deps.flocker().listLeases().thenCompose(leases -> {
        String holder = leases.stream().filter(l -> l.datasetId().equals(s.datasetId()))
            .map(Lease::nodeUuid).findFirst().orElse("another node");
        return failed(heldMessage(s.held(holder, -1, null)), s.held(holder, -1, null));
      });
    });
  }

  /** Moves the dataset to {@code node} unless it is there, and waits until state shows it. */
  private CompletionStage<String> bringHere(VolumeState s, NodeRef node, Instant deadline) {
    Optional<String> here =
        deps.catalog().snapshot().manifestPath(s.datasetId(), node.uuid());
    if (here.isPresent()) {
      return done(here.get());
    }
    log.info("volume [{}] moving from [{}] to [{}]", name, deps.nodes().nameOf(s.primaryUuid()),
        node.name());
    Duration budget = Duration.between(deps.clock().instant(), deadline);
    if (budget.isNegative() || budget.isZero()) {
      return failed("timed out before volume " + name + " could be moved to " + node.name(), s);
    }
    long started = System.nanoTime();
    if (deps.metrics() != null) {
      deps.metrics().moveStarted();
    }
    CompletionStage<String> arrived = deps.flocker().moveDataset(s.datasetId(), node.uuid())
        .thenCompose(moved -> AskPattern.<StateWatcher.Command, StateWatcher.Manifest>ask(
            deps.watcher(),
            r -> new StateWatcher.AwaitManifest(s.datasetId(), node.uuid(), deadline, r),
            budget, scheduler))
        .thenApply(StateWatcher.Manifest::path)
        .exceptionallyCompose(e -> e instanceof java.util.concurrent.TimeoutException
            || e.getCause() instanceof java.util.concurrent.TimeoutException
            ? failed("timed out after " + budget.toSeconds() + "s waiting for volume " + name
                + " to arrive on " + node.name() + "; the move continues in the background, "
                + "retry later", s)
            : CompletableFuture.failedFuture(e));
    if (deps.metrics() != null) {
      arrived.whenComplete((path, e) -> deps.metrics().moveEnded(e == null,
          System.nanoTime() - started));
    }
    return arrived;
  }

  CompletionStage<Step<Done>> unmount(VolumeState s, VolumeCommands.Unmount c) {
    return count(c.node(), new MountTable.Drop(name, c.mountId(), null)).thenCompose(n -> {
      if (!n.known()) {
        log.warn("volume [{}]: Unmount of mount id [{}] that node [{}] does not hold; ignored",
            name, c.mountId(), c.node().name());
        return done(new Step<>(s, Done.getInstance()));
      }
      if (n.mounts() > 0 || !s.mountedOn(c.node().uuid())) {
        return done(new Step<>(s.mountedOn(c.node().uuid()) ? s.withMounts(n.mounts()) : s,
            Done.getInstance()));
      }
      return releaseLease(s.datasetId())
          .thenApply(x -> {
            log.info("volume [{}] released by node [{}]", name, c.node().name());
            return new Step<>(s.released(), Done.getInstance());
          })
          .exceptionally(e -> {
            // the unmount itself happened; the next Mount elsewhere releases the lease first
            log.warn("volume [{}] unmounted on [{}] but its lease could not be released yet: {}",
                name, c.node().name(), e.getMessage());
            return new Step<>(s.withMounts(0), Done.getInstance());
          });
    });
  }

  CompletionStage<Step<Done>> remove(VolumeState s, VolumeCommands.Remove c) {
    if (s.heldElsewhere(null) && s.holderMounts() != 0) {
      return failed("volume " + name + " is in use on " + deps.nodes().nameOf(s.holderUuid())
          + "; stop the containers using it there first", s);
    }
    return deps.flocker().listDatasetsConfiguration().thenCompose(config -> {
      Optional<DatasetConfiguration> d = config.byName(name);
      if (d.isEmpty()) {
        return done(new Step<>(VolumeState.absent(), Done.getInstance()));
      }
      CompletionStage<?> unlocked = s.holderUuid() != null
          ? releaseLease(d.get().datasetId()) : done(Done.getInstance());
      return unlocked.thenCompose(x -> deps.flocker().deleteDataset(d.get().datasetId()))
          .thenApply(x -> {
            log.info("volume [{}] removed (dataset [{}]) by node [{}]", name,
                d.get().datasetId(), c.node().name());
            return new Step<>(VolumeState.absent(), Done.getInstance());
          });
    });
  }

  CompletionStage<Step<Done>> release(VolumeState s, VolumeCommands.Release c) {
    if (s.holderUuid() == null) {
      return failed("volume " + name + " is not mounted on any node", s);
    }
    String holderName = deps.nodes().nameOf(s.holderUuid());
    if (!holderName.equals(c.fromNode()) && !s.holderUuid().equals(c.fromNode())) {
      return failed("volume " + name + " is mounted on " + holderName + ", not on "
          + c.fromNode(), s);
    }
    if (deps.nodes().get(s.holderUuid()).filter(NodeInfo::available).isPresent()) {
      return failed(holderName + " is up and reachable: unmount volume " + name
          + " there (stop its containers) instead of releasing it", s);
    }
    return releaseLease(s.datasetId()).thenApply(x -> {
      log.warn("AUDIT volume [{}] released from node [{}] by [{}]", name, holderName,
          c.operator());
      return new Step<>(s.released(), Done.getInstance());
    });
  }

  String heldMessage(VolumeState s) {
    String holder = deps.nodes().nameOf(s.holderUuid());
    Optional<NodeInfo> node = deps.nodes().get(s.holderUuid());
    if (node.isPresent() && !node.get().available()) {
      Instant since = node.get().unreachableSince();
      return "volume " + name + " is mounted on " + holder + ", which is unreachable"
          + (since == null ? "" : " since " + since) + "; if " + holder
          + " is down for good, run: flocker-docker release " + name + " --from " + holder;
    }
    return "volume " + name + " is in use on " + holder
        + "; stop the containers using it there first";
  }

  /** Releases a lease; one that is already gone is fine (release is idempotent for us). */
  private CompletionStage<Done> releaseLease(String datasetId) {
    return deps.flocker().releaseLease(datasetId).thenApply(l -> Done.getInstance())
        .exceptionallyCompose(e -> FlockerException.of(e).filter(f -> f.is(Kind.NOT_FOUND))
            .isPresent() ? done(Done.getInstance()) : CompletableFuture.failedFuture(e));
  }

  private CompletionStage<MountTable.Count> count(NodeRef node, MountTable.Command template) {
    ActorRef<MountTable.Command> table = node.mountTable();
    return AskPattern.<MountTable.Command, org.apache.pekko.pattern.StatusReply<MountTable.Count>>
            ask(table, r -> withReply(template, r), TABLE_TIMEOUT, scheduler)
        .thenCompose(reply -> reply.isSuccess() ? done(reply.getValue())
            : failed(reply.getError().getMessage(), null));
  }

  private static MountTable.Command withReply(MountTable.Command t,
      ActorRef<org.apache.pekko.pattern.StatusReply<MountTable.Count>> r) {
    if (t instanceof MountTable.Add a) {
      return new MountTable.Add(a.volume(), a.mountId(), r);
    }
    MountTable.Drop d = (MountTable.Drop) t;
    return new MountTable.Drop(d.volume(), d.mountId(), r);
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  private static <T> CompletionStage<T> failed(String message, VolumeState s) {
    return CompletableFuture.failedFuture(new VolumeError(message, s));
  }
}
