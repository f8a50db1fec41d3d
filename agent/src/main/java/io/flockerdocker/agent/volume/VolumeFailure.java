package io.flockerdocker.agent.volume;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Why a volume request was not carried out, as a type: the entity replies it (inside {@link
 * VolumeCommands.Refused}, CBOR across nodes), and the plugin route, its metrics and the one Err
 * mapper decide on the type, never on the text. {@link #message()} is the sentence the Docker
 * user reads as {@code Err}: scripts and the Docker ITs match on these texts, byte for byte.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = VolumeFailure.ControlUnreachable.class,
        name = "control-unreachable"),
    @JsonSubTypes.Type(value = VolumeFailure.ControlRefused.class, name = "control-refused"),
    @JsonSubTypes.Type(value = VolumeFailure.HeldElsewhere.class, name = "held-elsewhere"),
    @JsonSubTypes.Type(value = VolumeFailure.DataUnreachable.class, name = "data-unreachable"),
    @JsonSubTypes.Type(value = VolumeFailure.Minority.class, name = "minority"),
    @JsonSubTypes.Type(value = VolumeFailure.TimedOut.class, name = "timed-out"),
    @JsonSubTypes.Type(value = VolumeFailure.Busy.class, name = "busy"),
    @JsonSubTypes.Type(value = VolumeFailure.Rejected.class, name = "rejected"),
    @JsonSubTypes.Type(value = VolumeFailure.BadRequest.class, name = "bad-request"),
    @JsonSubTypes.Type(value = VolumeFailure.Internal.class, name = "internal")
})
public sealed interface VolumeFailure {
  /** The Err text dockerd shows. */
  String message();

  /**
   * The control service did not answer (FlockerException UNREACHABLE). {@code lastKnownHolder}:
   * the node the asking route's view last saw the volume mounted on, added by that route so the
   * user learns where it is in use while nothing can be checked; null when none or unknown.
   */
  record ControlUnreachable(String volume, String detail, String lastKnownHolder)
      implements VolumeFailure {
    public ControlUnreachable withLastKnownHolder(String holder) {
      return new ControlUnreachable(volume, detail, holder);
    }

    @Override
    public String message() {
      String unreachable =
          "control service unreachable, volume " + volume + " unchanged: " + detail;
      return lastKnownHolder == null ? unreachable : "volume " + volume + " was mounted on "
          + lastKnownHolder + " at the last look, and cannot be checked or moved now: "
          + unreachable;
    }
  }

  /** The control service answered, and refused (any FlockerException kind but UNREACHABLE). */
  record ControlRefused(String volume, String detail) implements VolumeFailure {
    @Override
    public String message() {
      return "control service refused the change to volume " + volume + ": " + detail;
    }
  }

  /**
   * Another node holds the volume: {@code holder} by name, {@code holderIs} how it was found
   * ({@code unreachableSince} for UNREACHABLE, may be null; {@code answerSeconds} for
   * NOT_ANSWERING; RELEASING: its last mount is gone and its lease is being given back), {@code
   * asked} what this request wanted.
   */
  record HeldElsewhere(String volume, String holder, Holder holderIs, String unreachableSince,
      long answerSeconds, Asked asked) implements VolumeFailure {
    /** How the holder was found. */
    public enum Holder { USING_IT, UNREACHABLE, NOT_ANSWERING, RELEASING }

    /** What the refused request wanted. */
    public enum Asked { MOUNT, REMOVE, MOUNT_AFTER_WAITING }

    public HeldElsewhere asked(Asked a) {
      return new HeldElsewhere(volume, holder, holderIs, unreachableSince, answerSeconds, a);
    }

    @Override
    public String message() {
      String releaseHint = "flocker-docker release " + volume + " --from " + holder;
      String why = switch (holderIs) {
        case UNREACHABLE -> "volume " + volume + " is mounted on " + holder + ", which is"
            + " unreachable" + (unreachableSince == null ? "" : " since " + unreachableSince)
            + "; if " + holder + " is down for good, run: " + releaseHint;
        case NOT_ANSWERING -> "volume " + volume + " is mounted on " + holder + ", which did not"
            + " answer within " + answerSeconds + "s; retry, or if " + holder
            + " is down for good, run: " + releaseHint;
        case RELEASING -> "volume " + volume + " is being released by " + holder + "; retry";
        case USING_IT -> "volume " + volume + " is in use on " + holder + "; "
            + (asked == Asked.REMOVE ? "it cannot be removed while mounted"
                : "stop the containers using it there first");
      };
      return asked == Asked.MOUNT_AFTER_WAITING
          ? why + " (waited for its release until the deadline)" : why;
    }
  }

  /** The data lives on a node the cluster cannot reach; only that node can hand it over. */
  record DataUnreachable(String volume, String node, String unreachableSince)
      implements VolumeFailure {
    @Override
    public String message() {
      return "volume " + volume + " has its data on " + node + ", which is unreachable"
          + (unreachableSince == null ? "" : " since " + unreachableSince)
          + "; it can move here once " + node + " is back";
    }
  }

  /** The deciding node is on the minority side of a partition; {@code node} null: "this node". */
  record Minority(String volume, String node) implements VolumeFailure {
    @Override
    public String message() {
      return (node == null ? "this node" : "node " + node) + " cannot reach a majority of the"
          + " cluster; refusing to change volume " + volume + " until the partition heals";
    }
  }

  /**
   * A wait ran out: {@code waitingFor} says which; {@code node} is where the volume was going
   * (MOVE, ARRIVAL), {@code millis} how long was waited (ARRIVAL, ANSWER).
   */
  record TimedOut(String volume, Waiting waitingFor, String node, long millis)
      implements VolumeFailure {
    /** What was waited for. */
    public enum Waiting { A_NODE, QUEUE, MOVE, ARRIVAL, ANSWER, REQUEST }

    @Override
    public String message() {
      return switch (waitingFor) {
        case A_NODE -> "a node did not answer in time while handling volume " + volume + "; retry";
        case QUEUE -> "request for volume " + volume + " expired while queued behind others";
        case MOVE -> "timed out before volume " + volume + " could be moved to " + node;
        case ARRIVAL -> "timed out after " + millis / 1000 + "s waiting for volume " + volume
            + " to arrive on " + node + "; the move goes on in the background: retry later";
        case ANSWER -> "timed out after " + (millis % 1000 == 0 ? millis / 1000 + "s"
            : (millis / 1000.0) + "s") + " waiting for volume " + volume;
        case REQUEST -> "timed out reading the request";
      };
    }
  }

  /**
   * This node's volume service is gone (its agent is stopping, or the cluster removed it): the
   * request never reached a volume's actor. {@code node}: this node's name.
   */
  record Stopping(String volume, String node) implements VolumeFailure {
    @Override
    public String message() {
      return "the flocker agent on node " + node + " is stopping or has left the cluster; volume "
          + volume + " unchanged: retry once the agent is back";
    }
  }

  /** The entity's stash is full. */
  record Busy(String volume) implements VolumeFailure {
    @Override
    public String message() {
      return "too many requests queued for volume " + volume + "; retry later";
    }
  }

  /**
   * A request that cannot be carried out as asked (no such volume, a forged mount path, an
   * operator's release of a volume not held there...): {@code message} is written for the user.
   */
  record Rejected(String message) implements VolumeFailure {}

  /** A plugin request that is malformed (invalid JSON, unknown option, too large...). */
  record BadRequest(String message) implements VolumeFailure {}

  /** Anything unexpected: its detail is in the log of the node where it happened, never in Err. */
  record Internal() implements VolumeFailure {
    /** The Err of any unexpected failure. */
    public static final String TEXT = "internal error in the flocker plugin; see the agent log";

    @Override
    public String message() {
      return TEXT;
    }
  }
}
