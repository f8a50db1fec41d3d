package io.flockerdocker.control;

import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Durable home of the configuration: {@code <data>/configuration.json}, replaced atomically
 * (write a temporary file, fsync it, rename, fsync the directory) so a crash leaves the old or
 * the new file, never half, and the rename itself survives a power loss.
 */
final class ConfigurationFile {
  private final Path file;
  private final Path temp;

  ConfigurationFile(Path file) {
    this.file = file;
    this.temp = file.resolveSibling(file.getFileName() + ".tmp");
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
    byte[] bytes = Json.writeBytes(configuration.persisted());
    try (FileChannel ch =
        FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    // the rename is a change of the directory: without this a crash may bring the old file back
    try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(),
        StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
