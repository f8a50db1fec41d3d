package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.CborSerializable;

/** Placeholder: the node's journaled multiset of mount ids (being written). */
public final class MountTable {
  private MountTable() {}

  /** Everything a MountTable accepts. */
  public interface Command extends CborSerializable {}
}
