package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.flocker.FlockerException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link VolumeFailure} travelling as an exception, within one JVM: through a volume
 * operation's CompletionStages inside the entity (with the state the entity is in after it), and
 * through the plugin route's from the entity's reply to the Err mapper. Never sent to another
 * node: the entity replies the failure itself (VolumeCommands.Refused). {@link #of} classifies
 * whatever else stopped an operation (Flocker failures by their kind, timeouts) where it arises.
 */
public final class VolumeError extends RuntimeException {
  private static final Logger log = LoggerFactory.getLogger(VolumeError.class);

  private final transient VolumeFailure failure;
  private final transient VolumeState state;

  /** The failure as the plugin route raises it: no entity state behind it. */
  public VolumeError(VolumeFailure failure) {
    this(failure, null);
  }

  VolumeError(VolumeFailure failure, VolumeState state) {
    super(failure.message(), null, false, false);
    this.failure = failure;
    this.state = state;
  }

  public VolumeFailure failure() {
    return failure;
  }

  /**
   * The failure behind whatever stopped an operation on {@code name}: our own errors as they are,
   * Flocker failures by their kind, timeouts as such. Anything unexpected is logged once here with
   * its stack trace and becomes {@link VolumeFailure.Internal} (dockerd gets no internals).
   */
  static VolumeFailure of(String name, Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof VolumeError ve) {
      return ve.failure();
    }
    var flocker = FlockerException.of(cause);
    if (flocker.isPresent()) {
      FlockerException f = flocker.get();
      return f.is(FlockerException.Kind.UNREACHABLE)
          ? new VolumeFailure.ControlUnreachable(name, f.getMessage(), null)
          : new VolumeFailure.ControlRefused(name, f.getMessage());
    }
    if (cause instanceof TimeoutException) {
      return new VolumeFailure.TimedOut(name, VolumeFailure.TimedOut.Waiting.A_NODE, null, 0);
    }
    log.error("volume [{}] failed unexpectedly", name, cause);
    return new VolumeFailure.Internal();
  }

  /** The state a failure leaves behind, when it says; null means "unchanged". */
  static VolumeState stateAfter(Throwable t) {
    return unwrap(t) instanceof VolumeError ve ? ve.state : null;
  }

  /**
   * Whether another node holds the volume: a refusal a waiting Mount may outlast, and one whose
   * clean-up must leave that node's lease alone.
   */
  static boolean heldElsewhere(Throwable t) {
    return unwrap(t) instanceof VolumeError ve
        && ve.failure instanceof VolumeFailure.HeldElsewhere;
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
