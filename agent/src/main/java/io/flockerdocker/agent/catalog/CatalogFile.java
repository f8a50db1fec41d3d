package io.flockerdocker.agent.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetCopy;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The catalog as of one change-feed version, kept in the state directory ({@code catalog.json}),
 * so that a restarted agent asks the feed only for what changed since then instead of reading
 * every list of the control service again (docs/scale.md). It is a cache: a file that is missing,
 * unreadable, of another format, or older than the feed reaches back only means one full read.
 * Written whole to a temporary file and renamed over the old one, so a reader never sees half.
 */
public final class CatalogFile {
  /** The file's layout; a file of any other format is ignored. */
  static final int FORMAT = 1;

  /** What the file holds: the snapshot's lists, as the control service lists them. */
  public record Saved(
      @JsonProperty(value = "format", required = true) int format,
      @JsonProperty(value = "version", required = true) String version,
      @JsonProperty(value = "configuration", required = true)
          List<DatasetConfiguration> configuration,
      @JsonProperty(value = "states", required = true) List<DatasetState> states,
      @JsonProperty(value = "leases", required = true) List<Lease> leases,
      @JsonProperty(value = "copies", required = true) List<DatasetCopy> copies,
      @JsonProperty(value = "nodes", required = true) List<Node> nodes) {

    /** The snapshot these lists make, as of {@link #version}. */
    FlockerSnapshot snapshot() {
      return FlockerSnapshot.empty().withConfiguration(version, configuration)
          .withStates(states).withLeases(leases).withCopies(copies).withNodes(nodes);
    }
  }

  private final Path file;

  public CatalogFile(Path stateDir) {
    this.file = stateDir.resolve("catalog.json");
  }

  public Path path() {
    return file;
  }

  /**
   * Reads the file on a thread of its own (it runs while the actor system starts); empty when
   * there is none, failed when it cannot be used (the caller says why and reads in full).
   */
  public CompletionStage<Optional<Saved>> readInBackground() {
    CompletableFuture<Optional<Saved>> result = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        result.complete(read());
      } catch (IOException | ProtocolException | RuntimeException e) {
        result.completeExceptionally(new IOException(file + ": " + e.getMessage(), e));
      }
    }, "catalog-file-read");
    reader.setDaemon(true);
    reader.start();
    return result;
  }

  /** The saved catalog, or empty when there is none. */
  Optional<Saved> read() throws IOException, ProtocolException {
    byte[] body;
    try {
      body = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Saved saved = Json.read(body, Saved.class);
    if (saved.format() != FORMAT) {
      throw new ProtocolException("format " + saved.format() + ", this agent reads " + FORMAT);
    }
    return Optional.of(saved);
  }

  /** Replaces the file with {@code snapshot}, whose tag is the feed version it is as of. */
  void write(FlockerSnapshot snapshot) throws IOException {
    List<DatasetState> states = new ArrayList<>();
    snapshot.allStates().forEach(states::addAll);
    List<DatasetCopy> copies = new ArrayList<>();
    snapshot.allCopies().forEach(copies::addAll);
    Saved saved = new Saved(FORMAT, snapshot.tag(), new ArrayList<>(snapshot.configuration()),
        states, new ArrayList<>(snapshot.leases()), copies, snapshot.nodes());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
      Json.mapper().writeValue(out, saved);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
