package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Flocker's error envelope: {@code {"description": "..."}}, plus {@code errors} (schema messages)
 * on a 400 for a body that fails its schema. Clients must not parse the {@code errors} strings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorDescription(
    @JsonProperty(value = "description", required = true) String description,
    @JsonProperty("errors") List<String> errors) {
  public ErrorDescription {
    errors = errors == null ? null : List.copyOf(errors);
  }

  public static ErrorDescription of(String description) {
    return new ErrorDescription(description, null);
  }
}
