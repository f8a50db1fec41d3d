package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.volume.VolumeCommands.Command;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.pattern.StatusReply;

/**
 * A volume entity's replies to its last requests, by request id. The plugin routes repeat a
 * command that got no answer (Cluster Sharding may lose a message to a node that just died); a
 * repeat of a request already carried out gets the same reply instead of being carried out twice.
 */
final class RecentReplies {
  private static final int KEEP = 512;

  private final Map<String, StatusReply<?>> replies = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, StatusReply<?>> e) {
      return size() > KEEP;
    }
  };

  /** The reply already given to this request, or null. */
  StatusReply<?> get(Command c) {
    return c instanceof VolumeCommands.Request r ? replies.get(r.requestId()) : null;
  }

  void put(Command c, StatusReply<?> reply) {
    if (c instanceof VolumeCommands.Request r) {
      replies.put(r.requestId(), reply);
    }
  }
}
