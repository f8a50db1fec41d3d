package io.flockerdocker.control;

import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Durable home of the configuration: {@code <data>/configuration.json}, replaced atomically
 * (write a temporary file, fsync it, rename, fsync the directory) so a crash leaves the old or
 * the new file, never half, and the rename itself survives a power loss.
 */
final class ConfigurationFile {
  private final Path file;

  ConfigurationFile(Path file) {
    this.file = file;
  }

  Path path() {
    return file;
  }

  /** The stored configuration, empty when there is no file yet. */
  Configuration load() throws IOException, CorruptConfigurationException {
    if (!Files.exists(file)) {
      return Configuration.empty();
    }
    try {
      Configuration.Persisted p = Json.read(Files.readAllBytes(file), Configuration.Persisted.class);
      return Configuration.of(p.datasets(), p.leases());
    } catch (ProtocolException e) {
      // never start empty over a damaged file: the operator decides (restore or move aside)
      throw new CorruptConfigurationException(file, e.getMessage(), e);
    }
  }

  void save(Configuration configuration) throws IOException {
    DurableFile.replace(file, Json.writeBytes(configuration.persisted()));
  }
}
