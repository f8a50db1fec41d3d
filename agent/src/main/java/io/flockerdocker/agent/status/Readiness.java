package io.flockerdocker.agent.status;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this node may be sent work: its plugin socket serves, it is an Up cluster member and
 * its MountTable serves. Set by the servers and the cluster listener; read by /health/ready.
 */
public final class Readiness {
  private final AtomicBoolean socketServing = new AtomicBoolean();
  private final java.util.function.BooleanSupplier member;
  private final java.util.function.Supplier<String> mountTableProblem;

  /**
   * {@code member}: whether this node is an Up member of the cluster right now; {@code
   * mountTableProblem}: why its MountTable does not serve, null when it does.
   */
  public Readiness(java.util.function.BooleanSupplier member,
      java.util.function.Supplier<String> mountTableProblem) {
    this.member = member;
    this.mountTableProblem = mountTableProblem;
  }

  public void socketServing(boolean value) {
    socketServing.set(value);
  }

  public boolean ready() {
    return socketServing.get() && member.getAsBoolean() && mountTableProblem.get() == null;
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
    String table = mountTableProblem.get();
    if (table != null) {
      return table;
    }
    return "";
  }
}
