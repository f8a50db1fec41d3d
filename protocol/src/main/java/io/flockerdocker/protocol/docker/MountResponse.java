package io.flockerdocker.protocol.docker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Reply of {@code Mount} and {@code Path}: an absolute directory in dockerd's mount namespace, or
 * {@code ""} from Path when the volume is not on this host.
 */
public record MountResponse(
    @JsonProperty("Mountpoint") String mountpoint, @JsonProperty("Err") String err) {
  public MountResponse {
    mountpoint = mountpoint == null ? "" : mountpoint;
    err = err == null ? "" : err;
  }

  public static MountResponse at(String mountpoint) {
    return new MountResponse(mountpoint, "");
  }
}
