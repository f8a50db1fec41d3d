package io.flockerdocker.agent.catalog;

import io.flockerdocker.agent.support.CborSerializable;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;

/**
 * What a volume entity announces to every node once it has changed Flocker: a volume created on
 * node1 must be in node2's catalog before node2's next poll, or dockerd on node2 may be told
 * "no such volume" (and, for {@code docker volume rm}, refuse a volume that exists).
 */
public final class VolumeEvents {
  public static final String TOPIC = "flocker-docker-volume-events";

  private VolumeEvents() {}

  /** Everything published on the topic. */
  public sealed interface Event extends CborSerializable {}

  public record Created(DatasetConfiguration dataset) implements Event {}

  public record Removed(String name) implements Event {}
}
