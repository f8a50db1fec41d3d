package io.flockerdocker.agent.volume;

/**
 * A volume operation that failed with a message meant for the Docker user (it becomes the
 * plugin's {@code Err} verbatim), and the state the entity is in after it.
 */
public final class VolumeError extends RuntimeException {
  private final transient VolumeState state;

  public VolumeError(String message, VolumeState state) {
    super(message, null, false, false);
    this.state = state;
  }

  public VolumeState state() {
    return state;
  }
}
