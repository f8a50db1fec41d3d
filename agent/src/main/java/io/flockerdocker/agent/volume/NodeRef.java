package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.support.CborSerializable;
import io.flockerdocker.agent.mounts.MountTable;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The node a volume command comes from: its Flocker UUID, its human name (for errors and logs),
 * its MountTable, which the volume's entity updates before it answers a Mount (an Unmount is
 * dropped there by that node's plugin route itself), and its dataset root: the entity may run on
 * another host, and a Mountpoint is checked against the root of the host it is for.
 */
public record NodeRef(String uuid, String name, ActorRef<MountTable.Command> mountTable,
    String datasetRoot) implements CborSerializable {}
