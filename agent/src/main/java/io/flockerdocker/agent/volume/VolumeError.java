package io.flockerdocker.agent.volume;

/**
 * A {@link VolumeFailure} travelling as an exception, within one JVM: through a volume
 * operation's CompletionStages inside the entity (with the state the entity is in after it), and
 * through the plugin route's from the entity's reply to the Err mapper. Never sent to another
 * node: the entity replies the failure itself (VolumeCommands.Refused). {@link #held()} marks a
 * refusal because another node holds the volume, which a waiting Mount may outlast.
 */
public final class VolumeError extends RuntimeException {
  private final transient VolumeFailure failure;
  private final transient VolumeState state;
  private final boolean held;

  /** The failure as the plugin route raises it: no entity state behind it. */
  public VolumeError(VolumeFailure failure) {
    this(failure, null, false);
  }

  VolumeError(VolumeFailure failure, VolumeState state) {
    this(failure, state, false);
  }

  private VolumeError(VolumeFailure failure, VolumeState state, boolean held) {
    super(failure.message(), null, false, false);
    this.failure = failure;
    this.state = state;
    this.held = held;
  }

  static VolumeError heldElsewhere(VolumeFailure.HeldElsewhere failure, VolumeState state) {
    return new VolumeError(failure, state, true);
  }

  public VolumeFailure failure() {
    return failure;
  }

  VolumeState state() {
    return state;
  }

  boolean held() {
    return held;
  }
}
