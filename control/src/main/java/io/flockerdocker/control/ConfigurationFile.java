package io.flockerdocker.control;

import io.flockerdocker.protocol.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Durable home of the configuration: {@code <data>/configuration.json}, replaced atomically
 * (write a temporary file, fsync, rename) so a crash leaves the old or the new file, never half.
 */
final class ConfigurationFile {
  private final Path file;
  private final Path temp;

  ConfigurationFile(Path file) {
    this.file = file;
    this.temp = file.resolveSibling(file.getFileName() + ".tmp");
  }

  Configuration load() throws IOException {
    if (!Files.exists(file)) {
      return Configuration.empty();
    }
    Configuration.Persisted p =
        Json.mapper().readValue(Files.readAllBytes(file), Configuration.Persisted.class);
    return Configuration.of(p.datasets(), p.leases());
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
  }
}
