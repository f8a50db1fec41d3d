package io.flockerdocker.agent.status;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this node may be sent work: its plugin socket serves and it is an Up cluster member.
 * Set by the servers and the cluster listener, read by {@code /health/ready}.
 */
public final class Readiness {
  private final AtomicBoolean socketServing = new AtomicBoolean();
  private final java.util.function.BooleanSupplier member;

  /** {@code member}: whether this node is an Up member of the cluster right now. */
  public Readiness(java.util.function.BooleanSupplier member) {
    this.member = member;
  }

  public void socketServing(boolean value) {
    socketServing.set(value);
  }

  public boolean ready() {
    return socketServing.get() && member.getAsBoolean();
  }

  /** Why the node is not ready, for the 503 body; empty when ready. */
  public String reason() {
    if (!socketServing.get()) {
      return "plugin socket not serving yet (it opens after the first read of the control "
          + "service)";
    }
    if (!member.getAsBoolean()) {
      return "not an Up member of the cluster";
    }
    return "";
  }
}
