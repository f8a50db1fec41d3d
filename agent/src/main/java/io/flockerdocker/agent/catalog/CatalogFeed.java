package io.flockerdocker.agent.catalog;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * This node's subscriber to the volume-events topic: applies other nodes' creates and removes
 * to the local {@link VolumeCatalog} at once, as overlays that the next poll confirms.
 */
public final class CatalogFeed {
  private CatalogFeed() {}

  public static Behavior<VolumeEvents.Event> create(
      ActorRef<Topic.Command<VolumeEvents.Event>> topic, VolumeCatalog catalog) {
    return Behaviors.setup(ctx -> {
      topic.tell(Topic.subscribe(ctx.getSelf()));
      return Behaviors.receive(VolumeEvents.Event.class)
          .onMessage(VolumeEvents.Created.class, e -> {
            catalog.learnCreated(e.dataset());
            return Behaviors.same();
          })
          .onMessage(VolumeEvents.Removed.class, e -> {
            catalog.learnRemoved(e.name());
            return Behaviors.same();
          })
          .build();
    });
  }
}
