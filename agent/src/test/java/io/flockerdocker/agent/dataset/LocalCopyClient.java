package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.dataset.transfer.DataClient;
import io.flockerdocker.agent.dataset.transfer.Peer;
import io.flockerdocker.agent.dataset.transfer.PullResult;
import io.flockerdocker.agent.dataset.transfer.TransferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * UNIT TESTS ONLY: a DataClient that "pulls" by copying a flat directory of the source host's
 * root on this machine; files already in staging with the same size are kept, as the real
 * quick check would. Can be told to fail the next pulls after copying one file.
 */
final class LocalCopyClient implements DataClient {
  private final Map<String, Path> roots = new ConcurrentHashMap<>();
  private final AtomicInteger failures = new AtomicInteger();
  final AtomicInteger keptOnLastPull = new AtomicInteger();

  /** Pulls from {@code nodeUuid} read {@code root/<dataset>}. */
  LocalCopyClient host(String nodeUuid, Path root) {
    roots.put(nodeUuid, root);
    return this;
  }

  void failNext(int pulls) {
    failures.set(pulls);
  }

  @Override
  public PullResult pull(Peer source, String datasetId, Path staging) throws TransferException {
    long started = System.nanoTime();
    Path from = roots.get(source.nodeUuid()).resolve(datasetId);
    long sent = 0;
    long kept = 0;
    long bytes = 0;
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.sorted().toList()) {
        Path to = staging.resolve(f.getFileName().toString());
        if (Files.exists(to) && Files.size(to) == Files.size(f)) {
          kept++;
          continue;
        }
        Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
        sent++;
        bytes += Files.size(f);
        if (failures.get() > 0) {
          failures.decrementAndGet();
          throw new TransferException(TransferException.Kind.UNREACHABLE,
              "connection to " + source.host() + " reset (test)");
        }
      }
    } catch (IOException e) {
      throw new TransferException(TransferException.Kind.LOCAL_IO, e.getMessage(), e);
    }
    keptOnLastPull.set((int) kept);
    return new PullResult(sent + kept, sent, kept, 0, bytes, bytes, System.nanoTime() - started);
  }
}
