package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.catalog.Mountpoints;
import io.flockerdocker.agent.catalog.StateWatcher;
import io.flockerdocker.agent.volume.VolumeCommands.Granted;
import io.flockerdocker.agent.volume.VolumeOperations.Step;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;

/**
 * Mount. The order is what keeps a volume on one node: find who holds it now (the holder's
 * MountTable counts its recorded mounts and the reservations of its Mounts in flight), take the
 * Flocker lease for the mounting node (the dataset agents then keep it there), move it, wait
 * until the state shows it on that node, and only then grant it with the path; the mounting node
 * records the mount in its own MountTable. (Unmount is the plugin route's: it drops the id from
 * its node's MountTable, which pushes its new count to the entity.)
 */
final class MountOperations extends VolumeSteps {

  MountOperations(String name, VolumeDeps deps, Scheduler scheduler, Logger log) {
    super(name, deps, scheduler, log);
  }

  CompletionStage<Step<Granted>> mount(VolumeState s, VolumeCommands.Mount c) {
    String self = c.node().uuid();
    if (s.mountedOn(self) && s.holderPath() != null) {
      Optional<String> forged = forged(c.node(), s.holderPath());
      if (forged.isPresent()) {
        return rejected(forged.get(), s);
      }
      return done(new Step<>(s.withMounts(granted(s)),
          new Granted(s.datasetId(), s.holderPath(), false)));
    }
    if (!s.exists()) {
      return rejected("no such volume: " + name, s);
    }
    // the holder's count is what its MountTable last pushed. Before refusing on it, the holder's
    // table is asked once: its last Unmount's push may still be on its way (pushes and this
    // Mount come from different nodes, in no set order)
    boolean refused = s.holderUuid() != null && s.holderMounts() != 0;
    return (refused ? currentHolder(s) : done(s)).thenCompose(now -> {
      if (now.holderUuid() != null && !now.mountedOn(self)) {
        // with 0 mounts the lease is being given back (the entity's releasing phase): the
        // entity keeps this Mount until it is
        VolumeFailure.HeldElsewhere held = now.holderMounts() == 0
            ? new VolumeFailure.HeldElsewhere(name, deps.nodes().nameOf(now.holderUuid()),
                VolumeFailure.HeldElsewhere.Holder.RELEASING, null, 0,
                VolumeFailure.HeldElsewhere.Asked.MOUNT)
            : heldElsewhere(now);
        return CompletableFuture.failedFuture(new VolumeError(held, now));
      }
      return takeOver(now, c);
    });
  }

  /** Lease, move, wait, grant; on any failure the lease is given back (or left for retry). */
  private CompletionStage<Step<Granted>> takeOver(VolumeState s, VolumeCommands.Mount c) {
    String self = c.node().uuid();
    return acquireLease(s, self)
        .thenCompose(lease -> bringHere(s, c.node(), Instant.ofEpochMilli(c.deadline())))
        .thenCompose(path -> forged(c.node(), path)
            .<CompletionStage<String>>map(p -> rejected(p, s)).orElseGet(() -> done(path)))
        // a node that did not hold the lease has no valid mounts of it: it starts afresh
        .thenApply(path -> new Step<>(s.held(self, granted(s.mountedOn(self) ? s : s.released()),
            path), new Granted(s.datasetId(), path, !s.mountedOn(self))))
        .exceptionallyCompose(e -> {
          if (VolumeError.heldElsewhere(e)) {
            return CompletableFuture.failedFuture(e);
          }
          // the mount did not happen: give the lease back so nothing stays fenced for nobody
          return releaseLease(s.datasetId())
              .handle((ok, releaseFailure) -> releaseFailure == null ? s : s.held(self, 0, null))
              .thenCompose(after -> failed(VolumeError.of(name, e), after));
        });
  }

  /**
   * The holder's count as this entity believes it after one more grant, until the holder's
   * MountTable (which counts the grant from the moment it reserved) pushes its own.
   */
  private static int granted(VolumeState s) {
    return Math.max(s.holderMounts(), 0) + 1;
  }

  /** Moves the dataset to {@code node} unless it is there, and waits until state shows it. */
  private CompletionStage<String> bringHere(VolumeState s, NodeRef node, Instant deadline) {
    Optional<String> here = deps.catalog().snapshot().manifestPath(s.datasetId(), node.uuid());
    if (here.isPresent()) {
      return done(here.get());
    }
    Optional<VolumeFailure> unreachable = unreachableSource(s.datasetId(), node.uuid());
    if (unreachable.isPresent()) {
      return failed(unreachable.get(), s);
    }
    Duration budget = Duration.between(deps.clock().instant(), deadline);
    if (budget.isNegative() || budget.isZero()) {
      return failed(new VolumeFailure.TimedOut(name, VolumeFailure.TimedOut.Waiting.MOVE,
          node.name(), 0), s);
    }
    log.info("volume [{}] moving from [{}] to [{}]", name, deps.nodes().nameOf(s.primaryUuid()),
        node.name());
    long started = System.nanoTime();
    if (deps.metrics() != null) {
      deps.metrics().moveStarted();
    }
    CompletionStage<String> arrived = deps.flocker().moveDataset(s.datasetId(), node.uuid())
        .thenCompose(moved -> AskPattern.<StateWatcher.Command, StateWatcher.Manifest>ask(
            deps.watcher(),
            r -> new StateWatcher.AwaitManifest(s.datasetId(), node.uuid(), deadline, r),
            budget, scheduler))
        .thenApply(m -> {
          log.info("volume [{}] arrived on [{}] at [{}]", name, node.name(), m.path());
          return m.path();
        })
        .exceptionallyCompose(e -> VolumeError.unwrap(e) instanceof TimeoutException
            ? failed(new VolumeFailure.TimedOut(name, VolumeFailure.TimedOut.Waiting.ARRIVAL,
                node.name(), budget.toSeconds() * 1000), s)
            : CompletableFuture.failedFuture(e));
    if (deps.metrics() != null) {
      arrived.whenComplete((path, e) -> deps.metrics().moveEnded(e == null,
          System.nanoTime() - started));
    }
    return arrived;
  }

  /**
   * Why the data cannot come here now: it lives on a host the cluster knows but cannot reach
   * (down, or downed by the split-brain resolver). Only that host's agent can hand it over, so
   * waiting out the whole Mount budget would only tell dockerd less, later.
   */
  private Optional<VolumeFailure> unreachableSource(String datasetId, String here) {
    return deps.catalog().snapshot().manifestNode(datasetId)
        .filter(source -> !source.equals(here))
        .flatMap(source -> deps.nodes().get(source))
        .filter(n -> !n.reachable() || !n.member())
        .map(n -> new VolumeFailure.DataUnreachable(name, n.name(),
            n.unreachableSince() == null ? null : n.unreachableSince().toString()));
  }

  /**
   * Why a path from the control service's state (or a member) must not reach dockerd: it is not
   * a normalised directory under the mounting host's dataset root. Logged, since it means a
   * forged or broken state; the Err names the problem.
   */
  private Optional<String> forged(NodeRef node, String path) {
    Path root = Path.of(node.datasetRoot());
    return Mountpoints.problem(root, path).map(problem -> {
      log.error("volume [{}]: refusing mount path from the cluster state: {}", name, problem);
      return "volume " + name + " cannot be mounted: " + problem + "; refused";
    });
  }
}
