package io.flockerdocker.agent.volume;

/**
 * A volume operation that failed with a message meant for the Docker user (it becomes the
 * plugin's {@code Err} verbatim), and the state the entity is in after it. {@link #held()} marks
 * a refusal because another node holds the volume, which a waiting Mount may outlast.
 */
public final class VolumeError extends RuntimeException {
  private final transient VolumeState state;
  private final boolean held;

  public VolumeError(String message, VolumeState state) {
    this(message, state, false);
  }

  private VolumeError(String message, VolumeState state, boolean held) {
    super(message, null, false, false);
    this.state = state;
    this.held = held;
  }

  public static VolumeError heldElsewhere(String message, VolumeState state) {
    return new VolumeError(message, state, true);
  }

  public VolumeState state() {
    return state;
  }

  public boolean held() {
    return held;
  }
}
