package io.flockerdocker.agent.dataset.transfer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the fsync of each finished temp file in the background while the stream goes on, so
 * disk writeback overlaps the network and concurrent fsyncs share journal commits (one at a time
 * after the trailer, 2,000 files took 4x longer than the bytes alone on ext4). {@link #awaitAll}
 * runs after the trailer verifies and before any rename; a failed fsync fails the pull.
 */
final class Fsyncer implements AutoCloseable {
  private static final int THREADS = 4;
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final ExecutorService pool;
  private final List<Future<?>> pending = new ArrayList<>();

  Fsyncer() {
    int n = POOLS.incrementAndGet();
    AtomicInteger t = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread thread = new Thread(r, "transfer-fsync-" + n + "-" + t.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  void submit(Path file) {
    pending.add(pool.submit(() -> {
      StagingCommit.fsync(file);
      return null;
    }));
  }

  /** Waits for every submitted fsync; the first failure becomes the pull's. */
  void awaitAll() throws TransferException {
    try {
      for (Future<?> f : pending) {
        f.get();
      }
      pending.clear();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw LocalIo.failure("cannot fsync a received file", io);
      }
      throw new IllegalStateException("fsync task failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransferException(TransferException.Kind.LOCAL_IO, "interrupted waiting for fsync", e);
    }
  }

  /** Stops the threads; fsyncs still queued for a failed pull's temp files are abandoned. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
