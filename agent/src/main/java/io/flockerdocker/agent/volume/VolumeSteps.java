package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.cluster.NodeInfo;
import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.agent.flocker.FlockerException;
import io.flockerdocker.agent.mounts.MountTable;
import io.flockerdocker.agent.volume.VolumeFailure.HeldElsewhere;
import io.flockerdocker.agent.volume.VolumeFailure.HeldElsewhere.Asked;
import io.flockerdocker.agent.volume.VolumeFailure.HeldElsewhere.Holder;
import io.flockerdocker.protocol.flocker.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;

/**
 * The small steps every volume operation is made of: leases, a node's mount count, and the
 * check of who really holds the volume now (a holder whose lease is gone, or whose table is
 * empty, holds nothing). Stateless: each step reads only what it is given.
 */
class VolumeSteps {
  static final Duration TABLE_TIMEOUT = Duration.ofSeconds(5);

  final String name;
  final VolumeDeps deps;
  final Scheduler scheduler;
  final Logger log;

  VolumeSteps(String name, VolumeDeps deps, Scheduler scheduler, Logger log) {
    this.name = name;
    this.deps = deps;
    this.scheduler = scheduler;
    this.log = log;
  }

  /**
   * Who holds the volume right now, asked fresh (at recovery, or when the holder's count is not
   * known): the holder's MountTable if it is reachable (zero mounts = a lease left behind), else
   * Flocker's lease (gone = expired or released). A holder that has just restarted (Up, its
   * table not announced yet) is not asked: its count stays unknown (-1) and its table's start
   * push tells it (the entity waits for that push in its recovering phase).
   */
  CompletionStage<VolumeState> currentHolder(VolumeState s) {
    if (s.holderUuid() == null) {
      return done(s);
    }
    if (announcing(s.holderUuid())) {
      return done(s.withMounts(-1));
    }
    return currentHolder(s, deps.nodes().get(s.holderUuid()).filter(NodeInfo::available));
  }

  /** Whether {@code uuid} is an Up, reachable member whose MountTable is not announced yet. */
  boolean announcing(String uuid) {
    Optional<NodeInfo> node = deps.nodes().get(uuid);
    return node.isPresent() && !node.get().available() && node.get().reachable()
        && "Up".equals(node.get().status()) && node.get().mountTable() == null;
  }

  private CompletionStage<VolumeState> currentHolder(VolumeState s, Optional<NodeInfo> node) {
    if (node.isPresent()) {
      String holder = node.get().name();
      return tableCount(node.get().mountTable()).<VolumeState>thenApply(s::withMounts)
          .exceptionallyCompose(e -> {
            // the failure detector has not noticed yet: still, say who holds it
            VolumeState unknown = s.withMounts(-1);
            return CompletableFuture.failedFuture(new VolumeError(
                new HeldElsewhere(name, holder, Holder.NOT_ANSWERING, null,
                    TABLE_TIMEOUT.toSeconds(), Asked.MOUNT), unknown));
          });
    }
    return deps.flocker().listLeases().thenApply(leases -> leases.stream()
        .filter(l -> l.datasetId().equals(s.datasetId())).findFirst()
        .map(l -> l.nodeUuid().equals(s.holderUuid()) ? s.withMounts(-1)
            : s.held(l.nodeUuid(), -1, null))
        .orElseGet(() -> {
          log.warn("volume [{}]: the lease of unreachable node [{}] is gone (expired or "
              + "released); the volume is free", name, deps.nodes().nameOf(s.holderUuid()));
          return s.released();
        }));
  }

  CompletionStage<Integer> tableCount(ActorRef<MountTable.Command> table) {
    return AskPattern.<MountTable.Command, MountTable.Count>ask(table,
        r -> new MountTable.Get(name, r), TABLE_TIMEOUT, scheduler).thenApply(
            MountTable.Count::mounts);
  }

  /**
   * Sends a changing MountTable command and unwraps its StatusReply: only the operator's forced
   * release (Forget on a live holder) changes another node's table; Mounts are recorded by the
   * mounting node itself.
   */
  CompletionStage<MountTable.Count> tableChange(ActorRef<MountTable.Command> table,
      java.util.function.Function<ActorRef<StatusReply<MountTable.Count>>,
          MountTable.Change> command) {
    return AskPattern.<MountTable.Command, StatusReply<MountTable.Count>>ask(table,
            command::apply, TABLE_TIMEOUT, scheduler)
        .thenCompose(reply -> reply.isSuccess() ? done(reply.getValue())
            : rejected(reply.getError().getMessage(), null));
  }

  CompletionStage<Lease> acquireLease(VolumeState s, String self) {
    Optional<Double> ttl = deps.settings().leaseTtl().map(d -> d.toMillis() / 1000.0);
    return deps.flocker().acquireLease(s.datasetId(), self, ttl).exceptionallyCompose(e -> {
      if (FlockerException.of(e).filter(f -> f.is(Kind.LEASE_HELD)).isEmpty()) {
        return CompletableFuture.failedFuture(e);
      }
      // held by someone this entity did not know of (e.g. a client outside the cluster)
      return deps.flocker().listLeases().thenCompose(leases -> {
        String holder = leases.stream().filter(l -> l.datasetId().equals(s.datasetId()))
            .map(Lease::nodeUuid).findFirst().orElse("another node");
        VolumeState held = s.held(holder, -1, null);
        // a refusal because of that holder: the Mount's clean-up must not release its lease
        return CompletableFuture.failedFuture(
            new VolumeError(heldElsewhere(held), held));
      });
    });
  }

  /** Releases the dataset's lease; one that is already gone is fine. */
  CompletionStage<Done> releaseLease(String datasetId) {
    return deps.flocker().releaseLease(datasetId).thenApply(l -> Done.getInstance())
        .exceptionallyCompose(e -> FlockerException.of(e).filter(f -> f.is(Kind.NOT_FOUND))
            .isPresent() ? done(Done.getInstance()) : CompletableFuture.failedFuture(e));
  }

  /** Why {@code s}'s holder keeps the volume from this request, as seen now. */
  HeldElsewhere heldElsewhere(VolumeState s) {
    String holder = deps.nodes().nameOf(s.holderUuid());
    Optional<NodeInfo> node = deps.nodes().get(s.holderUuid());
    // only a node the failure detector gave up on (or that left) is "unreachable"; one whose
    // mount table has not been announced yet (it just restarted) still holds the volume
    if (node.isPresent() && (!node.get().reachable() || !node.get().member())) {
      Instant since = node.get().unreachableSince();
      return new HeldElsewhere(name, holder, Holder.UNREACHABLE,
          since == null ? null : since.toString(), 0, Asked.MOUNT);
    }
    return new HeldElsewhere(name, holder, Holder.USING_IT, null, 0, Asked.MOUNT);
  }

  static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  static <T> CompletionStage<T> failed(VolumeFailure failure, VolumeState s) {
    return CompletableFuture.failedFuture(new VolumeError(failure, s));
  }

  /** A request that cannot be carried out as asked; {@code message} is for the user. */
  static <T> CompletionStage<T> rejected(String message, VolumeState s) {
    return failed(new VolumeFailure.Rejected(message), s);
  }
}
