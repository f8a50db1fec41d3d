package io.flockerdocker.agent.dataset;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code <root>/.meta/<id>.json}: each directory copy's generation and seal, replaced atomically
 * (temp, fsync, rename, fsync directory) so a crash leaves the old or the new record.
 */
final class MetaStore {
  /** One copy's record. */
  record Meta(@JsonProperty("generation") long generation,
      @JsonProperty("sealed") boolean sealed) {}

  private final Path dir;

  MetaStore(Path dir) {
    this.dir = dir;
  }

  void init() throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> tmp = Files.list(dir)) {
      for (Path p : tmp.filter(p -> p.toString().endsWith(".tmp")).toList()) {
        Files.delete(p); // an interrupted write; the record it would have replaced stands
      }
    }
  }

  List<String> ids() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
    }
  }

  Meta read(String id) throws IOException {
    try {
      return Json.read(Files.readAllBytes(file(id)), Meta.class);
    } catch (ProtocolException e) {
      throw new IOException("unreadable dataset metadata " + file(id) + ": " + e.getMessage(), e);
    }
  }

  void write(String id, Meta meta) throws IOException {
    DiskIO.writeAtomically(file(id), Json.writeBytes(meta));
  }

  void delete(String id) throws IOException {
    if (Files.deleteIfExists(file(id))) {
      DiskIO.fsyncDirectory(dir);
    }
  }

  private Path file(String id) {
    return dir.resolve(id + ".json");
  }
}
