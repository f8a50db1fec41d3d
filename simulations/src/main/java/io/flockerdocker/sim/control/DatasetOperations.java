package io.flockerdocker.sim.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The individual agent steps (create, move, destroy, scan) as asynchronous jobs on the I/O
 * executor. Each publishes the resulting state only after its files are where the state says.
 */
final class DatasetOperations {
  private static final Logger log = LoggerFactory.getLogger(DatasetOperations.class);

  private final Map<String, DatasetAgents.Held> state;
  private final Executor io;
  private final Map<String, Long> movedAt;

  DatasetOperations(Map<String, DatasetAgents.Held> state, Executor io,
      Map<String, Long> movedAt) {
    this.state = state;
    this.io = io;
    this.movedAt = movedAt;
  }

  Supplier<CompletableFuture<Void>> create(String id, String node, Path dir) {
    return () -> CompletableFuture.runAsync(() -> {
      unchecked(() -> Files.createDirectories(dir));
      state.put(id, new DatasetAgents.Held(node, true));
      log.info("dataset [{}] created on [{}]", id, node);
    }, io);
  }

  /** Waits the configured delay (plus size / rate), then copies, publishes, deletes the source. */
  Supplier<CompletableFuture<Void>> move(String id, Path from, String node, Path to,
      Duration delay, long bytesPerSecond) {
    return () -> CompletableFuture.supplyAsync(() -> unchecked(() -> DiskOps.size(from)), io)
        .thenCompose(bytes -> {
          long ms = delay.toMillis() + (bytesPerSecond > 0 ? bytes * 1000 / bytesPerSecond : 0);
          Executor later = CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS, io);
          return CompletableFuture.runAsync(() -> {
            unchecked(() -> {
              DiskOps.move(from, to);
              return null;
            });
            state.put(id, new DatasetAgents.Held(node, true));
            movedAt.put(id, System.nanoTime());
            log.info("dataset [{}] moved to [{}] ({} bytes)", id, node, bytes);
          }, later);
        });
  }

  Supplier<CompletableFuture<Void>> destroy(String id, Path dir) {
    return () -> CompletableFuture.runAsync(() -> {
      unchecked(() -> {
        DiskOps.deleteRecursively(dir);
        return null;
      });
      state.remove(id);
      log.info("dataset [{}] destroyed", id);
    }, io);
  }

  /** Dataset directories under a node's root; leftovers of interrupted copies are removed. */
  Map<String, DatasetAgents.Held> scan(NodeSpec node) throws IOException {
    Map<String, DatasetAgents.Held> found = new HashMap<>();
    try (Stream<Path> entries = Files.list(node.datasetRoot())) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(DiskOps.PARTIAL_PREFIX)) {
          DiskOps.deleteRecursively(p);
        } else if (Files.isDirectory(p) && Schema.ANY_UUID.matcher(name).matches()) {
          found.put(name, new DatasetAgents.Held(node.uuid(), true));
        }
      }
    }
    return found;
  }

  private interface IoAction<T> {
    T run() throws IOException;
  }

  private static <T> T unchecked(IoAction<T> action) {
    try {
      return action.run();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
