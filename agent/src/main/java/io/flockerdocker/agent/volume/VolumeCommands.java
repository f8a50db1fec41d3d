package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.support.CborSerializable;
import io.flockerdocker.agent.mounts.MountTable;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The protocol of {@link VolumeEntity}, the one actor per volume name cluster-wide. Every
 * command carries an absolute deadline (epoch millis): a command still queued when its caller has
 * given up is answered with an error instead of being carried out. Every {@link Request} also carries its request id.
 */
public final class VolumeCommands {
  private VolumeCommands() {}

  /** Everything a VolumeEntity accepts. */
  public sealed interface Command extends CborSerializable
      permits Request, Inspect, HostCount, HandOff, Internal {
    long deadline();
  }

  /**
   * A change asked on behalf of a Docker request (or an operator). {@code requestId} is made once
   * per request by whoever asks (a random UUID) and kept across its resends: the plugin routes
   * send a command again when it got no answer (sharding delivers at most once), and a resend of
   * a request already carried out must not be carried out twice. It is the request's only
   * identity: the entity answers a resend from its recent replies (the one place that
   * deduplicates), and the mounting node's MountTable keys its reservation on it.
   */
  public sealed interface Request extends Command permits Create, Mount, Remove, Release {
    String requestId();
  }

  /** Create (idempotent by name) on behalf of {@code node}; the dataset's first home is there. */
  public record Create(String requestId, NodeRef node, VolumeOptions options, long deadline,
      ActorRef<CreateReply> replyTo) implements Request {}

  /**
   * Mount for {@code mountId} on {@code node}: the entity brings the volume there under
   * {@code node}'s lease and grants it; {@code node} records the mount in its own MountTable
   * (where it reserved the volume before asking) before it answers dockerd. {@code seq} is the
   * seq of the count push that counted the reservation (MountTable.Reserved): once it has
   * granted, the entity ignores {@code node}'s older pushes (a 0 sent before the reservation).
   */
  public record Mount(String requestId, NodeRef node, String mountId, long seq, long deadline,
      ActorRef<MountReply> replyTo) implements Request {}

  /** Delete the volume; refused while it is mounted anywhere; ok when it does not exist. */
  public record Remove(String requestId, NodeRef node, long deadline,
      ActorRef<RemoveReply> replyTo) implements Request {}

  /**
   * Operator recovery: drop {@code fromNode}'s lease of this volume (and with {@code force}, its
   * mounts, for a live node whose dockerd lost the containers).
   */
  public record Release(String requestId, String fromNode, String operator, boolean force,
      long deadline, ActorRef<ReleaseReply> replyTo) implements Request {}

  /**
   * A node's MountTable tells how many mounts (recorded + reserved) it holds of this volume,
   * after every change and at its start; the entity acknowledges to {@code ackTo} (else it is
   * sent again). {@code seq} grows per node: an older push than one seen is stale. A holder's
   * count of 0 makes the entity give the lease back: the one repair of a lease with no mount.
   */
  public record HostCount(String nodeUuid, int count, long seq,
      ActorRef<MountTable.Command> ackTo) implements Command {
    @Override
    public long deadline() {
      return Long.MAX_VALUE;
    }
  }

  /** The entity's current view of its volume, for the status endpoint. */
  public record Inspect(long deadline, ActorRef<VolumeStatus> replyTo) implements Command {}

  /**
   * Cluster Sharding's stop message for this entity (hand-off to another node, passivation).
   * The entity finishes the operation in flight before it stops: an actor that simply stopped
   * would leave its Flocker calls (lease, move, release) running, overlapping the work of its
   * next incarnation on the other node.
   */
  public enum HandOff implements Command {
    INSTANCE;

    @Override
    public long deadline() {
      return Long.MAX_VALUE;
    }
  }

  /** Messages the entity sends itself; never sent from outside. */
  public non-sealed interface Internal extends Command {
    @Override
    default long deadline() {
      return Long.MAX_VALUE;
    }
  }

  /**
   * What a {@link Request} is answered with: one sealed reply type per command, its success or
   * {@link Refused}. A replyTo typed by its command lets the compiler check that each command gets
   * only its own answers, and every reply is a concrete record (or enum) that Jackson serializes
   * by its class, with the only polymorphism in {@link VolumeFailure}'s named subtypes.
   */
  public sealed interface Reply extends CborSerializable
      permits CreateReply, MountReply, RemoveReply, ReleaseReply {}

  /** Create's answer: {@link Created} or {@link Refused}. */
  public sealed interface CreateReply extends Reply permits Created, Refused {}

  /** Mount's answer: {@link Granted} or {@link Refused}. */
  public sealed interface MountReply extends Reply permits Granted, Refused {}

  /** Remove's answer: {@link Removed} or {@link Refused}. */
  public sealed interface RemoveReply extends Reply permits Removed, Refused {}

  /** Release's answer: {@link Released} or {@link Refused}. */
  public sealed interface ReleaseReply extends Reply permits Released, Refused {}

  /** Any request not carried out, and why. */
  public record Refused(VolumeFailure failure)
      implements CreateReply, MountReply, RemoveReply, ReleaseReply {}

  /** Reply of Create: the dataset now configured for the name. */
  public record Created(DatasetConfiguration dataset) implements CreateReply {}

  /** Reply of Remove: the volume is gone (or never was). */
  public enum Removed implements RemoveReply { INSTANCE }

  /** Reply of Release: the node's lease (and with force, its mounts) is dropped. */
  public enum Released implements ReleaseReply { INSTANCE }

  /**
   * Reply of Mount: the volume is the mounting node's, at {@code mountpoint} there. {@code
   * takeOver}: the node did not hold it before this grant, so mount ids its table still has from
   * an earlier holding are stale (MountTable.Record).
   */
  public record Granted(String datasetId, String mountpoint, boolean takeOver)
      implements MountReply {}

  /**
   * What the entity knows: {@code state} is one of creating, ready, moving, mounted, removing,
   * failed (the status endpoint's vocabulary); node fields are names, null when none.
   */
  public record VolumeStatus(
      String name,
      String datasetId,
      String primary,
      String mountedOn,
      int mounts,
      String state,
      String lastError,
      String lastErrorAt)
      implements CborSerializable {}
}
