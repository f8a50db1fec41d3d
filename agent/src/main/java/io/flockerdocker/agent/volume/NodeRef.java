package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The node a volume command comes from: its Flocker UUID, its human name (for errors and logs)
 * and its MountTable, which the volume's entity updates before it answers a Mount (an Unmount is
 * dropped there by that node's plugin route itself).
 */
public record NodeRef(String uuid, String name, ActorRef<MountTable.Command> mountTable)
    implements CborSerializable {}
