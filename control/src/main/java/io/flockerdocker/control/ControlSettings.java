package io.flockerdocker.control;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the embedded control service needs: where it listens, where it keeps configuration
 * and node roots, optional mTLS material, its nodes and how slow its simulated agents are.
 */
public record ControlSettings(
    int port,
    Path dataDir,
    Path tlsDir,
    List<NodeSpec> nodes,
    Duration moveDelay,
    long bytesPerSecond,
    Duration convergeInterval) {

  /** Flocker's REST API port; tests should use 0 (a free port). */
  public static final int FLOCKER_PORT = 4523;

  public ControlSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    dataDir = dataDir.toAbsolutePath().normalize();
    tlsDir = tlsDir == null ? null : tlsDir.toAbsolutePath().normalize();
    nodes = List.copyOf(nodes);
    Objects.requireNonNull(moveDelay, "moveDelay");
    Objects.requireNonNull(convergeInterval, "convergeInterval");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (bytesPerSecond < 0 || moveDelay.isNegative() || convergeInterval.isNegative()
        || convergeInterval.isZero()) {
      throw new IllegalArgumentException("negative delay/rate or zero converge interval");
    }
    long distinct = nodes.stream().map(NodeSpec::uuid).distinct().count();
    if (distinct != nodes.size()) {
      throw new IllegalArgumentException("node UUIDs must be unique: " + nodes);
    }
  }

  /** Plain HTTP on a free port with nodes node1 and node2 (stable UUIDs per data directory). */
  public static ControlSettings defaults(Path dataDir) {
    return new ControlSettings(
        0,
        dataDir,
        null,
        List.of(NodeSpec.defaultFor(dataDir, "node1"), NodeSpec.defaultFor(dataDir, "node2")),
        Duration.ZERO,
        0,
        Duration.ofMillis(25));
  }

  public ControlSettings withPort(int newPort) {
    return new ControlSettings(newPort, dataDir, tlsDir, nodes, moveDelay, bytesPerSecond,
        convergeInterval);
  }

  public ControlSettings withTlsDir(Path dir) {
    return new ControlSettings(port, dataDir, dir, nodes, moveDelay, bytesPerSecond,
        convergeInterval);
  }

  public ControlSettings withNodes(List<NodeSpec> newNodes) {
    return new ControlSettings(port, dataDir, tlsDir, newNodes, moveDelay, bytesPerSecond,
        convergeInterval);
  }

  public ControlSettings withMoveDelay(Duration delay) {
    return new ControlSettings(port, dataDir, tlsDir, nodes, delay, bytesPerSecond,
        convergeInterval);
  }

  public ControlSettings withBytesPerSecond(long rate) {
    return new ControlSettings(port, dataDir, tlsDir, nodes, moveDelay, rate, convergeInterval);
  }

  public ControlSettings withConvergeInterval(Duration interval) {
    return new ControlSettings(port, dataDir, tlsDir, nodes, moveDelay, bytesPerSecond, interval);
  }

  /** The file holding the persisted configuration (datasets and leases). */
  public Path configurationFile() {
    return dataDir.resolve("configuration.json");
  }
}
