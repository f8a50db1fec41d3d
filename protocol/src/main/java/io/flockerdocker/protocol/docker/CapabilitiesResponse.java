package io.flockerdocker.protocol.docker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Reply to {@code POST /VolumeDriver.Capabilities}. Scope {@code global} tells dockerd (and Swarm)
 * that a volume name means the same volume on every host; Flocker's own plugin never said so.
 */
public record CapabilitiesResponse(@JsonProperty("Capabilities") Capabilities capabilities) {

  /** The capabilities object; dockerd lower-cases Scope and treats anything unknown as local. */
  public record Capabilities(@JsonProperty("Scope") String scope) {}

  public static CapabilitiesResponse global() {
    return new CapabilitiesResponse(new Capabilities("global"));
  }
}
