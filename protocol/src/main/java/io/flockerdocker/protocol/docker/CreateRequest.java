package io.flockerdocker.protocol.docker;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.Map;

/**
 * Body of {@code POST /VolumeDriver.Create}. dockerd sends {@code "Opts":{}} for {@code docker
 * volume create} and {@code "Opts":null} for an implicit create by {@code docker run -v}; both
 * become an empty map here so callers never see null.
 */
public record CreateRequest(
    @JsonSetter(nulls = Nulls.FAIL) @JsonProperty(value = "Name", required = true) String name,
    @JsonSetter(contentNulls = Nulls.FAIL) @JsonProperty("Opts") Map<String, String> opts) {
  public CreateRequest {
    opts = opts == null ? Map.of() : Map.copyOf(opts);
  }
}
