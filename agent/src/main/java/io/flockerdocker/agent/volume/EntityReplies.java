package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.catalog.VolumeEvents;
import io.flockerdocker.agent.volume.VolumeCommands.Command;
import io.flockerdocker.agent.volume.VolumeCommands.Reply;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * What a volume entity sends out: the reply to a command's asker and, after a create or remove,
 * the news for every node's catalog. The last replies are remembered by request id: the plugin
 * routes repeat a command that got no answer (Cluster Sharding may lose a message to a node that
 * just died), and a repeat of a request already carried out gets the same reply instead of being
 * carried out twice.
 */
final class EntityReplies {
  private static final int KEEP = 512;

  private final String name;
  private final VolumeDeps deps;
  private final Map<String, Reply> recent = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Reply> e) {
      return size() > KEEP;
    }
  };

  EntityReplies(String name, VolumeDeps deps) {
    this.name = name;
    this.deps = deps;
  }

  /** Answers a repeat of a request already carried out with its reply; false if none is known. */
  boolean repeat(Command c) {
    Reply earlier =
        c instanceof VolumeCommands.Request r ? recent.get(r.requestId()) : null;
    if (earlier == null) {
      return false;
    }
    reply(c, earlier);
    return true;
  }

  /** Replies and remembers the reply, so a repeat of the same request gets it too. */
  void answer(Command c, Reply reply) {
    if (c instanceof VolumeCommands.Request r) {
      recent.put(r.requestId(), reply);
    }
    reply(c, reply);
  }

  /** Refuses with a failure that is not remembered: a repeat of the request is tried again. */
  void error(Command c, VolumeFailure failure) {
    reply(c, new VolumeCommands.Refused(failure));
  }

  /** Tells every node's catalog about a create or remove that just succeeded. */
  void announce(Command c, Reply value) {
    if (deps.events() == null) {
      return;
    }
    if (c instanceof VolumeCommands.Create && value instanceof VolumeCommands.Created created) {
      deps.events().tell(Topic.publish(new VolumeEvents.Created(created.dataset())));
    } else if (c instanceof VolumeCommands.Remove) {
      deps.events().tell(Topic.publish(new VolumeEvents.Removed(name)));
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void reply(Command c, Reply reply) {
    ActorRef to = null;
    if (c instanceof VolumeCommands.Create m) {
      to = m.replyTo();
    } else if (c instanceof VolumeCommands.Mount m) {
      to = m.replyTo();
    } else if (c instanceof VolumeCommands.Remove m) {
      to = m.replyTo();
    } else if (c instanceof VolumeCommands.Release m) {
      to = m.replyTo();
    }
    if (to != null) {
      to.tell(reply);
    }
  }
}
