package io.flockerdocker.agent.cluster;

import io.flockerdocker.agent.mounts.MountTable;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One agent as the cluster sees it: Flocker UUID, name, cluster address, member status (Up,
 * Leaving, Removed, ...), whether the failure detector reaches it (and since when not), and its
 * MountTable once it has registered one.
 */
public record NodeInfo(
    String uuid,
    String name,
    String address,
    String status,
    boolean reachable,
    Instant unreachableSince,
    ActorRef<MountTable.Command> mountTable) {

  /** Whether the node is (still or already) a member: not Down, not Removed. */
  public boolean member() {
    return !"Down".equals(status) && !"Removed".equals(status);
  }

  /** Whether the node is a live member we can talk to. */
  public boolean available() {
    return reachable && "Up".equals(status) && mountTable != null;
  }
}
