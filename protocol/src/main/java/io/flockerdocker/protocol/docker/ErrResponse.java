package io.flockerdocker.protocol.docker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Reply of {@code Create}, {@code Remove} and {@code Unmount}, and the error reply of every
 * endpoint. An empty {@code Err} means success; dockerd shows a non-empty one verbatim.
 */
public record ErrResponse(@JsonProperty("Err") String err) {
  public ErrResponse {
    err = err == null ? "" : err;
  }

  public static ErrResponse ok() {
    return new ErrResponse("");
  }

  public static ErrResponse of(String message) {
    return new ErrResponse(message);
  }
}
