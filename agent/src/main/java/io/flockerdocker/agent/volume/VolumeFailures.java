package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.flocker.FlockerException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever stopped a volume operation into the sentence the Docker user reads: our own
 * {@link VolumeError}s as they are, Flocker failures with the service's reason, timeouts with
 * what to do. Anything unexpected is logged once here with its stack trace.
 */
final class VolumeFailures {
  private static final Logger log = LoggerFactory.getLogger(VolumeFailures.class);

  private VolumeFailures() {}

  static String describe(String name, Throwable t) {
    Throwable cause = MountOperations.unwrap(t);
    if (cause instanceof VolumeError) {
      return cause.getMessage();
    }
    var flocker = FlockerException.of(cause);
    if (flocker.isPresent()) {
      FlockerException f = flocker.get();
      return f.is(FlockerException.Kind.UNREACHABLE)
          ? FlockerException.UNREACHABLE_TEXT + ", volume " + name + " unchanged: " + f.getMessage()
          : "control service refused the change to volume " + name + ": " + f.getMessage();
    }
    if (cause instanceof TimeoutException) {
      return "a node did not answer in time while handling volume " + name + "; retry";
    }
    log.error("volume [{}] failed unexpectedly", name, cause);
    // PluginErrors.INTERNAL's text: dockerd gets no internals, the detail is in the log above
    return "internal error in the flocker plugin; see the agent log";
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
