package io.flockerdocker.protocol.docker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Reply of {@code POST /VolumeDriver.List}: every volume of the cluster, not only this host's. */
public record ListResponse(
    @JsonProperty("Volumes") List<Volume> volumes, @JsonProperty("Err") String err) {
  public ListResponse {
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    err = err == null ? "" : err;
  }

  public static ListResponse of(List<Volume> volumes) {
    return new ListResponse(volumes, "");
  }
}
