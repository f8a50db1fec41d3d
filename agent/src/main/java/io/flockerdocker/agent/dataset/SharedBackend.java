package io.flockerdocker.agent.dataset;

import com.fasterxml.jackson.core.type.TypeReference;
import io.flockerdocker.agent.dataset.LocalCopy.State;
import io.flockerdocker.agent.dataset.MetaStore.Meta;
import io.flockerdocker.agent.dataset.transfer.DataClient;
import io.flockerdocker.agent.dataset.transfer.PullResult;
import io.flockerdocker.agent.dataset.transfer.TransferException;
import io.flockerdocker.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code shared} backend: {@code <root>} is one filesystem on every host, so a move is a
 * hand-off, nothing is copied. Which datasets this host holds, with generation and seal, is in
 * {@code <state-dir>/shared-datasets.json}, replaced atomically on every change; the copy's data
 * is durable (tree fsynced) before it is reported sealed.
 */
public final class SharedBackend implements DatasetBackend {
  private static final TypeReference<TreeMap<String, Meta>> OWNED = new TypeReference<>() {};
  private final Path root;
  private final Path ownershipFile;
  private final TreeMap<String, Meta> owned = new TreeMap<>();

  public SharedBackend(Path root, Path stateDir) {
    this.root = root;
    this.ownershipFile = stateDir.resolve("shared-datasets.json");
  }

  @Override
  public synchronized Map<String, LocalCopy> scan() throws IOException {
    Files.createDirectories(root);
    Files.createDirectories(ownershipFile.getParent());
    Files.deleteIfExists(ownershipFile.resolveSibling(ownershipFile.getFileName() + ".tmp"));
    owned.clear();
    if (Files.exists(ownershipFile)) {
      owned.putAll(Json.mapper().readValue(Files.readAllBytes(ownershipFile), OWNED));
    }
    Map<String, LocalCopy> copies = new TreeMap<>();
    owned.forEach((id, m) -> copies.put(id, copy(id, m)));
    return copies;
  }

  @Override
  public Path pathOf(String datasetId) {
    return root.resolve(datasetId);
  }

  @Override
  public synchronized LocalCopy create(String datasetId) throws IOException {
    Files.createDirectories(pathOf(datasetId));
    DiskIO.fsyncDirectory(root);
    return record(datasetId, new Meta(1, false));
  }

  @Override
  public synchronized LocalCopy unseal(String datasetId, long generation) throws IOException {
    return record(datasetId, new Meta(generation, false));
  }

  /** The hand-off: the sealed copy is already here, at the same path; we adopt it. */
  @Override
  public synchronized Pulled pull(Step.Pull pull, DataClient client) throws TransferException {
    long started = System.nanoTime();
    String id = pull.datasetId();
    if (!Files.isDirectory(pathOf(id))) {
      throw new TransferException(TransferException.Kind.LOCAL_IO, "dataset " + id
          + " is not at " + pathOf(id) + ": is " + root + " the same shared filesystem here?");
    }
    try {
      LocalCopy copy = record(id, new Meta(pull.generation(), false));
      return new Pulled(copy, new PullResult(0, 0, 0, 0, 0, 0, System.nanoTime() - started));
    } catch (IOException e) {
      throw new TransferException(TransferException.Kind.LOCAL_IO,
          "cannot record the hand-off of " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized LocalCopy seal(String datasetId) throws IOException {
    Meta m = owned.get(datasetId);
    if (m == null) {
      throw new IOException("dataset " + datasetId + " is not held here");
    }
    DiskIO.fsyncTree(pathOf(datasetId)); // the next holder reads it from another host's cache
    return record(datasetId, new Meta(m.generation(), true));
  }

  @Override
  public synchronized Optional<LocalCopy> demote(String datasetId) throws IOException {
    forget(datasetId); // the new holder has it: never touch the data
    return Optional.empty();
  }

  @Override
  public synchronized void destroy(String datasetId) throws IOException {
    DiskIO.deleteTree(pathOf(datasetId));
    forget(datasetId);
  }

  private LocalCopy record(String id, Meta m) throws IOException {
    TreeMap<String, Meta> next = new TreeMap<>(owned);
    next.put(id, m);
    save(next);
    return copy(id, m);
  }

  /** Disk first: if the write fails, memory still matches what a restart would read. */
  private void save(TreeMap<String, Meta> next) throws IOException {
    DiskIO.writeAtomically(ownershipFile, Json.mapper().writeValueAsBytes(next));
    owned.clear();
    owned.putAll(next);
  }

  private void forget(String id) throws IOException {
    TreeMap<String, Meta> next = new TreeMap<>(owned);
    next.remove(id);
    save(next);
  }

  private LocalCopy copy(String id, Meta m) {
    return new LocalCopy(id, m.sealed() ? State.SEALED : State.MANIFEST, m.generation(),
        pathOf(id));
  }
}
