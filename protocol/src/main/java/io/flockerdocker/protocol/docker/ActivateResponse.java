package io.flockerdocker.protocol.docker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Reply to {@code POST /Plugin.Activate}: the plugin subsystems this process implements. */
public record ActivateResponse(@JsonProperty(value = "Implements", required = true) List<String> implementsList) {
  public ActivateResponse {
    implementsList = List.copyOf(implementsList);
  }

  /** The only answer a volume plugin gives: it implements {@code VolumeDriver} (exact case). */
  public static ActivateResponse volumeDriver() {
    return new ActivateResponse(List.of("VolumeDriver"));
  }
}
