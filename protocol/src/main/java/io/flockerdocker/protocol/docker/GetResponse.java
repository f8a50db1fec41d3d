package io.flockerdocker.protocol.docker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Reply of {@code POST /VolumeDriver.Get}. dockerd reads any non-empty {@code Err} (or a null
 * Volume) as "does not exist" and forgets the volume, so only say so when it is really gone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GetResponse(
    @JsonProperty("Volume") Volume volume, @JsonProperty("Err") String err) {
  public GetResponse {
    err = err == null ? "" : err;
  }

  public static GetResponse found(Volume volume) {
    return new GetResponse(volume, "");
  }

  public static GetResponse notFound(String name) {
    return new GetResponse(null, "no such volume: " + name);
  }
}
