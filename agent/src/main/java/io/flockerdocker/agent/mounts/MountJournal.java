package io.flockerdocker.agent.mounts;

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
import java.util.Optional;
import java.util.TreeMap;

/**
 * The on-disk form of a node's mount table: one small JSON file {@code volume -> {id -> count}}
 * rewritten whole (write, fsync, rename, fsync the directory) on every change, so a crash leaves
 * the old or the new table and never half of one; the table before the last change is kept as
 * {@code mounts.json.bak}. Blocking: called only on the I/O dispatcher and at start.
 */
public final class MountJournal {
  private static final TypeReference<TreeMap<String, TreeMap<String, Integer>>> TYPE =
      new TypeReference<>() {};
  private final Path file;

  /** A journal neither the file nor its last good copy can be read from: one line to show. */
  public static final class CorruptException extends IOException {
    CorruptException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** What start-up loaded; {@code recovered} says how, when it was the last good copy. */
  public record Loaded(Map<String, Map<String, Integer>> table, Optional<String> recovered) {}

  public MountJournal(Path stateDir) {
    this.file = stateDir.resolve("mounts.json");
  }

  public Path file() {
    return file;
  }

  /** The last good copy: the table as it was before the latest change. */
  public Path backup() {
    return file.resolveSibling(file.getFileName() + ".bak");
  }

  /** Reads the table; a missing file is an empty table, an unreadable one an error to fix. */
  public Map<String, Map<String, Integer>> load() throws IOException {
    return Files.exists(file) ? read(file) : Map.of();
  }

  /**
   * Start-up's load: a corrupt journal (garbage, {@code null}, a torn disk block) is set aside
   * as {@code mounts.json.corrupt} and the last good copy is used and rewritten; when there is
   * no good copy either, a CorruptException says what to run. Never a stack trace.
   */
  public Loaded open() throws CorruptException {
    try {
      return new Loaded(load(), Optional.empty());
    } catch (IOException broken) {
      Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
      String recovery = "to start with an empty mount table, stop the containers using flocker "
          + "volumes on this host, then run: mv " + file + " " + aside;
      Map<String, Map<String, Integer>> good;
      try {
        good = read(backup());
      } catch (IOException noCopy) {
        throw new CorruptException(broken.getMessage() + "; its last good copy " + backup()
            + (Files.exists(backup()) ? " is unreadable too" : " does not exist") + "; "
            + recovery, broken);
      }
      try {
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        save(good);
      } catch (IOException e) {
        throw new CorruptException(broken.getMessage() + "; restoring its last good copy "
            + backup() + " failed (" + e.getMessage() + "); " + recovery, e);
      }
      return new Loaded(good, Optional.of(broken.getMessage() + "; started from its last good "
          + "copy " + backup() + " (the corrupt file is kept as " + aside + "); the last "
          + "mount or unmount before the damage may be missing: compare with docker ps"));
    }
  }

  private static Map<String, Map<String, Integer>> read(Path from) throws IOException {
    try {
      Map<String, TreeMap<String, Integer>> raw =
          Json.mapper().readValue(Files.readAllBytes(from), TYPE);
      if (raw == null) {
        throw new IOException("it holds null, not a table");
      }
      Map<String, Map<String, Integer>> result = new TreeMap<>();
      raw.forEach(
          (volume, ids) -> {
            TreeMap<String, Integer> positive = new TreeMap<>();
            if (ids != null) {
              ids.forEach((id, n) -> {
                if (n != null && n > 0) {
                  positive.put(id, n);
                }
              });
            }
            if (!positive.isEmpty()) {
              result.put(volume, positive);
            }
          });
      return result;
    } catch (IOException e) {
      // Jackson's message spans lines and quotes the bytes: the first line is enough here
      String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("unreadable");
      throw new IOException("mount journal " + from + " is corrupt: " + why, e);
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
    keepPrevious();
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    // the rename is durable only once the directory entry is: without this a power cut can
    // bring back the old table after a change was acknowledged
    fsyncDirectory(file.getParent());
  }

  /** {@link #save} for a future: the IOException rides in an UncheckedIOException. */
  void saveUnchecked(Map<String, Map<String, Integer>> table) {
    try {
      save(table);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The current table becomes the last good copy (a hard link: no copy, and never torn). */
  private void keepPrevious() throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    Files.deleteIfExists(backup());
    try {
      Files.createLink(backup(), file);
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(file, backup(), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** fsync of a directory, so renames in it survive a crash. */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
