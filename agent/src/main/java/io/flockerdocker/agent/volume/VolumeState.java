package io.flockerdocker.agent.volume;

/**
 * What a volume's entity knows between commands, rebuilt from Flocker and the holder's
 * MountTable whenever the entity starts, then kept by the holder's count pushes and the entity's
 * own grants. {@code holderMounts} is -1 when the holder node cannot be asked (it is gone,
 * unreachable, or just restarted and silent), 0 when a lease outlived its mounts.
 */
public record VolumeState(
    boolean recovered,
    String datasetId,
    String primaryUuid,
    String holderUuid,
    int holderMounts,
    String holderPath) {

  public static final VolumeState UNKNOWN = new VolumeState(false, null, null, null, 0, null);

  public static VolumeState absent() {
    return new VolumeState(true, null, null, null, 0, null);
  }

  public static VolumeState free(String datasetId, String primaryUuid) {
    return new VolumeState(true, datasetId, primaryUuid, null, 0, null);
  }

  public boolean exists() {
    return datasetId != null;
  }

  public boolean mountedOn(String uuid) {
    return holderUuid != null && holderUuid.equals(uuid);
  }

  public VolumeState held(String uuid, int mounts, String path) {
    return new VolumeState(true, datasetId, uuid, uuid, mounts, path);
  }

  public VolumeState withMounts(int mounts) {
    return new VolumeState(true, datasetId, primaryUuid, holderUuid, mounts, holderPath);
  }

  public VolumeState released() {
    return new VolumeState(true, datasetId, primaryUuid, null, 0, null);
  }
}
