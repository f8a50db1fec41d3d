package io.flockerdocker.protocol.docker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One volume as {@code Get} and {@code List} report it. {@code CreatedAt} must be RFC 3339 or
 * absent: an empty string makes dockerd treat the whole reply as "no such volume" and purge it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Volume(
    @JsonProperty(value = "Name", required = true) String name,
    @JsonProperty("Mountpoint") String mountpoint,
    @JsonProperty("CreatedAt") String createdAt,
    @JsonProperty("Status") Map<String, Object> status) {
  public Volume {
    mountpoint = mountpoint == null ? "" : mountpoint;
    createdAt = createdAt == null || createdAt.isEmpty() ? null : createdAt;
    // insertion order kept so `docker volume inspect` shows the fields in a stable order
    status = status == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(status));
  }
}
