package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.volume.VolumeCommands.Command;
import io.flockerdocker.agent.volume.VolumeCommands.VolumeStatus;
import java.time.Instant;

/**
 * How a volume entity describes itself to Inspect: its phase in the status endpoint's vocabulary
 * and the last error it met.
 */
final class EntityStatus {
  private final String name;
  private final VolumeDeps deps;
  private String lastError;
  private Instant lastErrorAt;

  EntityStatus(String name, VolumeDeps deps) {
    this.name = name;
    this.deps = deps;
  }

  /** The phase shown while {@code c} runs. */
  static String phaseOf(Command c) {
    if (c instanceof VolumeCommands.Create) {
      return "creating";
    } else if (c instanceof VolumeCommands.Mount) {
      return "moving";
    } else if (c instanceof VolumeCommands.Remove) {
      return "removing";
    }
    return "mounted";
  }

  void noteError(String message) {
    lastError = message;
    lastErrorAt = deps.clock().instant();
  }

  /** {@code phase}: the entity's phase (recovering, moving, releasing...), null when idle. */
  VolumeStatus of(VolumeState state, String phase) {
    return new VolumeStatus(name, state.datasetId(),
        deps.nodes().nameOf(state.primaryUuid()), deps.nodes().nameOf(state.holderUuid()),
        Math.max(state.holderMounts(), 0), phase(state, phase), lastError,
        lastErrorAt == null ? null : lastErrorAt.toString());
  }

  private String phase(VolumeState state, String phase) {
    if (phase != null && !"recovering".equals(phase)) {
      return phase;
    }
    if (state.holderUuid() != null) {
      return "mounted";
    }
    return !state.exists() && lastError != null ? "failed" : "ready";
  }
}
