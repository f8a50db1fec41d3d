package io.flockerdocker.control;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the control service listens, where it keeps its configuration and (optionally) the mTLS
 * material: {@code tlsDir} holds cluster.crt and control-service.crt/.key, null = plain HTTP.
 * {@code extensions} false serves a plain Flocker v1 API even where config turns them on (tests of
 * the agents' fallback); config {@code flocker-control.extensions} can turn them off as well.
 */
public record ControlSettings(String listen, int port, Path dataDir, Path tlsDir,
    boolean extensions) {

  /** Flocker's REST API port; tests should use 0 (a free port). */
  public static final int FLOCKER_PORT = 4523;

  public ControlSettings {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(dataDir, "dataDir");
    if (listen.isBlank()) {
      throw new IllegalArgumentException("empty listen address");
    }
    dataDir = dataDir.toAbsolutePath().normalize();
    tlsDir = tlsDir == null ? null : tlsDir.toAbsolutePath().normalize();
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** The extensions as config says (on by default). */
  public ControlSettings(String listen, int port, Path dataDir, Path tlsDir) {
    this(listen, port, dataDir, tlsDir, true);
  }

  /** Plain HTTP on 127.0.0.1 and a free port: what tests and single-host demos use. */
  public static ControlSettings defaults(Path dataDir) {
    return new ControlSettings("127.0.0.1", 0, dataDir, null);
  }

  public ControlSettings withPort(int newPort) {
    return new ControlSettings(listen, newPort, dataDir, tlsDir, extensions);
  }

  public ControlSettings withTlsDir(Path dir) {
    return new ControlSettings(listen, port, dataDir, dir, extensions);
  }

  public ControlSettings withListen(String address) {
    return new ControlSettings(address, port, dataDir, tlsDir, extensions);
  }

  /** False: a plain Flocker v1 API (no ETags, watch or create-if-name-unused). */
  public ControlSettings withExtensions(boolean on) {
    return new ControlSettings(listen, port, dataDir, tlsDir, on);
  }

  /** True when clients must present a certificate of the cluster CA. */
  public boolean tls() {
    return tlsDir != null;
  }

  /** The file holding the persisted configuration (datasets and leases). */
  public Path configurationFile() {
    return dataDir.resolve("configuration.json");
  }
}
