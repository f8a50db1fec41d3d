package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.dataset.LocalCopy.State;
import io.flockerdocker.agent.dataset.transfer.DataClient;
import io.flockerdocker.agent.dataset.transfer.PullResult;
import io.flockerdocker.agent.dataset.transfer.TransferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code directory} backend: {@code <root>/<id>} is the copy, {@code .meta/<id>.json} its
 * generation and seal, {@code .staging/<id>} a pull in progress, {@code .replicas/<id>} stale
 * copies kept within a byte budget. A copy exists for the agent only once its meta is durable
 * and it has been renamed into place; a failed pull's staging becomes the replica.
 */
public final class DirectoryBackend implements DatasetBackend {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryBackend.class);
  private final Path root;
  private final Path staging;
  private final ReplicaStore replicas;
  private final MetaStore meta;

  public DirectoryBackend(Path root, long replicaBudgetBytes, Clock clock) {
    this.root = root;
    this.staging = root.resolve(".staging");
    this.replicas = new ReplicaStore(root.resolve(".replicas"), replicaBudgetBytes, clock);
    this.meta = new MetaStore(root.resolve(".meta"));
  }

  @Override
  public Map<String, LocalCopy> scan() throws IOException {
    Files.createDirectories(staging);
    replicas.init();
    meta.init();
    try (Stream<Path> stale = Files.list(staging)) {
      for (Path s : stale.toList()) {
        // a pull cut short by a crash: what arrived is the best base for the retry
        LOG.info("dataset [{}]: interrupted transfer kept as a stale replica", s.getFileName());
        replicas.adopt(s);
      }
    }
    Map<String, LocalCopy> copies = new HashMap<>();
    for (String id : meta.ids()) {
      MetaStore.Meta m = meta.read(id);
      if (Files.isDirectory(pathOf(id))) {
        copies.put(id, new LocalCopy(id, m.sealed() ? State.SEALED : State.MANIFEST,
            m.generation(), pathOf(id)));
      } else {
        meta.delete(id); // written before a rename that never happened
      }
    }
    for (String id : replicas.ids()) {
      copies.putIfAbsent(id, new LocalCopy(id, State.REPLICA, 0, replicas.pathOf(id)));
    }
    try (Stream<Path> entries = Files.list(root)) {
      entries.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".") && !copies.containsKey(n))
          .forEach(n -> LOG.warn("dataset directory [{}] has no metadata: ignored, never served",
              root.resolve(n)));
    }
    replicas.evict();
    return copies;
  }

  @Override
  public Path pathOf(String datasetId) {
    return root.resolve(datasetId);
  }

  @Override
  public LocalCopy create(String datasetId) throws IOException {
    Path s = staging.resolve(datasetId);
    DiskIO.deleteTree(s);
    Files.createDirectories(s);
    return install(datasetId, s, 1);
  }

  @Override
  public LocalCopy unseal(String datasetId, long generation) throws IOException {
    meta.write(datasetId, new MetaStore.Meta(generation, false));
    return new LocalCopy(datasetId, State.MANIFEST, generation, pathOf(datasetId));
  }

  @Override
  public Pulled pull(Step.Pull pull, DataClient client) throws TransferException {
    String id = pull.datasetId();
    Path s = staging.resolve(id);
    try {
      if (Files.exists(pathOf(id))) {
        throw new TransferException(TransferException.Kind.LOCAL_IO,
            "a copy of " + id + " is already in place at " + pathOf(id));
      }
      DiskIO.deleteTree(s);
      if (!replicas.takeInto(id, s)) {
        Files.createDirectories(s);
      }
    } catch (IOException e) {
      throw new TransferException(TransferException.Kind.LOCAL_IO, "cannot prepare staging for "
          + id + ": " + e.getMessage(), e);
    }
    try {
      PullResult result = client.pull(pull.source(), id, s);
      return new Pulled(install(id, s, pull.generation()), result);
    } catch (TransferException | IOException | RuntimeException e) {
      keepAsReplica(id, s);
      if (e instanceof TransferException t) {
        throw t;
      }
      throw new TransferException(TransferException.Kind.LOCAL_IO,
          "cannot install " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public LocalCopy seal(String datasetId) throws IOException {
    MetaStore.Meta m = meta.read(datasetId);
    DiskIO.fsyncTree(pathOf(datasetId));
    meta.write(datasetId, new MetaStore.Meta(m.generation(), true));
    return new LocalCopy(datasetId, State.SEALED, m.generation(), pathOf(datasetId));
  }

  @Override
  public Optional<LocalCopy> demote(String datasetId) throws IOException {
    replicas.adopt(pathOf(datasetId));
    meta.delete(datasetId);
    replicas.evict();
    Path replica = replicas.pathOf(datasetId);
    return Files.isDirectory(replica)
        ? Optional.of(new LocalCopy(datasetId, State.REPLICA, 0, replica)) : Optional.empty();
  }

  @Override
  public void destroy(String datasetId) throws IOException {
    // meta first: a crash half-way leaves a directory without meta, which is never served
    meta.delete(datasetId);
    DiskIO.deleteTree(pathOf(datasetId));
    replicas.delete(datasetId);
    DiskIO.deleteTree(staging.resolve(datasetId));
  }

  /** Durable meta, then the rename that makes the copy exist, then the root fsynced. */
  private LocalCopy install(String id, Path from, long generation) throws IOException {
    meta.write(id, new MetaStore.Meta(generation, false));
    DiskIO.rename(from, pathOf(id));
    return new LocalCopy(id, State.MANIFEST, generation, pathOf(id));
  }

  private void keepAsReplica(String id, Path s) {
    try {
      if (Files.isDirectory(s)) {
        replicas.adopt(s);
        replicas.evict();
      }
    } catch (IOException e) {
      LOG.warn("dataset [{}]: could not keep the partial transfer as a replica: {}", id,
          e.toString());
    }
  }
}
