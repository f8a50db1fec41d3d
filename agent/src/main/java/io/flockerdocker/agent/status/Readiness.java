package io.flockerdocker.agent.status;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this node may be sent work: its plugin socket serves and it is an Up cluster member.
 * Set by the servers and the cluster listener, read by {@code /health/ready}.
 */
public final class Readiness {
  private final AtomicBoolean socketServing = new AtomicBoolean();
  private final AtomicBoolean member = new AtomicBoolean();

  public void socketServing(boolean value) {
    socketServing.set(value);
  }

  public void member(boolean value) {
    member.set(value);
  }

  public boolean ready() {
    return socketServing.get() && member.get();
  }

  /** Why the node is not ready, for the 503 body; empty when ready. */
  public String reason() {
    if (!socketServing.get()) {
      return "plugin socket not serving";
    }
    if (!member.get()) {
      return "not an Up member of the cluster";
    }
    return "";
  }
}
