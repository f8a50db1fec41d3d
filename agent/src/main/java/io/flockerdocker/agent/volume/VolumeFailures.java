package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.flocker.FlockerException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever stopped a volume operation into its {@link VolumeFailure}: our own {@link
 * VolumeError}s as they are, Flocker failures by their kind, timeouts as such. Anything
 * unexpected is logged once here with its stack trace and becomes {@link VolumeFailure.Internal}.
 */
final class VolumeFailures {
  private static final Logger log = LoggerFactory.getLogger(VolumeFailures.class);

  private VolumeFailures() {}

  static VolumeFailure of(String name, Throwable t) {
    Throwable cause = MountOperations.unwrap(t);
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
    // dockerd gets no internals, the detail is in the log above
    return new VolumeFailure.Internal();
  }

  /** The state a failure leaves behind, when it says; null means "unchanged". */
  static VolumeState stateAfter(Throwable t) {
    Throwable cause = MountOperations.unwrap(t);
    return cause instanceof VolumeError ve ? ve.state() : null;
  }

  static boolean heldElsewhere(Throwable t) {
    Throwable cause = MountOperations.unwrap(t);
    return cause instanceof VolumeError ve && ve.held();
  }
}
