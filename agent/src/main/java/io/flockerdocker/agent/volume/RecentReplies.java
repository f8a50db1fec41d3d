package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.volume.VolumeCommands.Command;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.pekko.pattern.StatusReply;

/**
 * A volume entity's replies to its last requests. The plugin routes repeat a command that got
 * no answer (Cluster Sharding may lose a message to a node that just died); a repeat of a
 * request already carried out gets the same reply instead of being carried out twice.
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
    String key = key(c);
    return key == null ? null : replies.get(key);
  }

  void put(Command c, StatusReply<?> reply) {
    String key = key(c);
    if (key != null) {
      replies.put(key, reply);
    }
  }

  static boolean sameRequest(Command a, Command b) {
    return key(a) != null && Objects.equals(key(a), key(b));
  }

  /**
   * What identifies one request across the route's repeats: the kind, the node, the mount id
   * and the deadline the route computed once for that request (repeats carry the same one).
   */
  static String key(Command c) {
    if (c instanceof VolumeCommands.Create m) {
      return "create|" + m.node().uuid() + "|" + m.deadline();
    } else if (c instanceof VolumeCommands.Mount m) {
      return "mount|" + m.node().uuid() + "|" + m.mountId() + "|" + m.deadline();
    } else if (c instanceof VolumeCommands.Remove m) {
      return "remove|" + m.node().uuid() + "|" + m.deadline();
    } else if (c instanceof VolumeCommands.Release m) {
      return "release|" + m.fromNode() + "|" + m.deadline();
    }
    return null;
  }
}
