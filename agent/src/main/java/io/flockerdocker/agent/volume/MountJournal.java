package io.flockerdocker.agent.volume;

import com.fasterxml.jackson.core.type.TypeReference;
import io.flockerdocker.protocol.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The on-disk form of a node's mount table: one small JSON file {@code volume -> {id -> count}}
 * rewritten whole (write, fsync, rename) on every change, so a crash leaves either the old or
 * the new table and never half of one. Blocking: called only on the I/O dispatcher and at start.
 */
public final class MountJournal {
  private static final TypeReference<TreeMap<String, TreeMap<String, Integer>>> TYPE =
      new TypeReference<>() {};
  private final Path file;

  public MountJournal(Path stateDir) {
    this.file = stateDir.resolve("mounts.json");
  }

  public Path file() {
    return file;
  }

  /** Reads the table; a missing file is an empty table, an unreadable one an error to fix. */
  public Map<String, Map<String, Integer>> load() throws IOException {
    if (!Files.exists(file)) {
      return Map.of();
    }
    try {
      Map<String, TreeMap<String, Integer>> raw =
          Json.mapper().readValue(Files.readAllBytes(file), TYPE);
      Map<String, Map<String, Integer>> result = new TreeMap<>();
      raw.forEach(
          (volume, ids) -> {
            TreeMap<String, Integer> positive = new TreeMap<>();
            ids.forEach((id, n) -> {
              if (n != null && n > 0) {
                positive.put(id, n);
              }
            });
            if (!positive.isEmpty()) {
              result.put(volume, positive);
            }
          });
      return result;
    } catch (IOException e) {
      throw new IOException("mount journal " + file + " is corrupt: " + e.getMessage(), e);
    }
  }

  public void save(Map<String, Map<String, Integer>> table) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    byte[] bytes = Json.mapper().writeValueAsBytes(table);
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
