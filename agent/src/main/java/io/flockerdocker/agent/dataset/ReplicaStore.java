package io.flockerdocker.agent.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <root>/.replicas}: stale copies, never served, kept so a move back sends only what
 * changed. Their total size stays within the budget, the least recently demoted evicted first
 * (a replica's directory mtime is set when it becomes one).
 */
final class ReplicaStore {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaStore.class);
  private final Path dir;
  private final long budget;
  private final Clock clock;

  ReplicaStore(Path dir, long budget, Clock clock) {
    this.dir = dir;
    this.budget = budget;
    this.clock = clock;
  }

  void init() throws IOException {
    Files.createDirectories(dir);
  }

  Path pathOf(String id) {
    return dir.resolve(id);
  }

  List<String> ids() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** {@code copy} (a directory named after its dataset) becomes that dataset's replica. */
  void adopt(Path copy) throws IOException {
    Path target = pathOf(copy.getFileName().toString());
    DiskIO.deleteTree(target); // an older replica is worth less than the newer copy
    DiskIO.rename(copy, target);
    Files.setLastModifiedTime(target, FileTime.from(clock.instant()));
  }

  /** Moves the replica of {@code id}, if any, to {@code target}; false when there is none. */
  boolean takeInto(String id, Path target) throws IOException {
    if (!Files.isDirectory(pathOf(id))) {
      return false;
    }
    DiskIO.rename(pathOf(id), target);
    return true;
  }

  void delete(String id) throws IOException {
    DiskIO.deleteTree(pathOf(id));
  }

  /** Evicts the oldest replicas until the rest fit in the budget. */
  void evict() throws IOException {
    record Sized(Path path, long bytes, FileTime demoted) {}
    List<Sized> all = new ArrayList<>();
    long total = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(Files::isDirectory).toList()) {
        long bytes = DiskIO.size(p);
        all.add(new Sized(p, bytes, Files.getLastModifiedTime(p)));
        total += bytes;
      }
    }
    all.sort(Comparator.comparing(Sized::demoted));
    for (Sized r : all) {
      if (total <= budget) {
        break;
      }
      LOG.info("dataset [{}]: stale replica evicted ({} bytes; replica budget {} bytes)",
          r.path().getFileName(), r.bytes(), budget);
      DiskIO.deleteTree(r.path());
      total -= r.bytes();
    }
  }
}
