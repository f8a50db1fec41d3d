package io.flockerdocker.sim.control;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * One simulated Flocker node: its name, its node UUID (what {@code primary} and lease
 * {@code node_uuid} name) and the directory under which its dataset agent keeps datasets.
 */
public record NodeSpec(String name, String uuid, Path datasetRoot) {
  public NodeSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(datasetRoot, "datasetRoot");
    uuid = uuid.toLowerCase(java.util.Locale.ROOT);
    datasetRoot = datasetRoot.toAbsolutePath().normalize();
  }

  /**
   * A node with the default root {@code <dataDir>/<name>/flocker} and a UUID derived from the data
   * directory and the name, so restarting on the same directory keeps the same node identity.
   */
  public static NodeSpec defaultFor(Path dataDir, String name) {
    Path abs = dataDir.toAbsolutePath().normalize();
    return new NodeSpec(name, stableUuid(abs + "/" + name), abs.resolve(name).resolve("flocker"));
  }

  /** A version-4-shaped UUID (Flocker's schema rejects other versions) derived from a seed. */
  static String stableUuid(String seed) {
    UUID named = UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
    long msb = (named.getMostSignificantBits() & ~0xF000L) | 0x4000L;
    long lsb = (named.getLeastSignificantBits() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(msb, lsb).toString();
  }
}
