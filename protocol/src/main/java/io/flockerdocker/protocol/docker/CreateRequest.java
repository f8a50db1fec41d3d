package io.flockerdocker.protocol.docker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * Body of {@code POST /VolumeDriver.Create}. dockerd sends {@code "Opts":{}} for {@code docker
 * volume create} and {@code "Opts":null} for an implicit create by {@code docker run -v}; both
 * become an empty map here so callers never see null.
 */
public record CreateRequest(
    @JsonProperty(value = "Name", required = true) String name,
    @JsonProperty("Opts") Map<String, String> opts) {
  public CreateRequest {
    opts = opts == null ? Map.of() : Map.copyOf(opts);
  }
}
