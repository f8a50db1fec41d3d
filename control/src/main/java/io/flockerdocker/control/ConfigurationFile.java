package io.flockerdocker.control;

import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Durable home of the configuration: a snapshot {@code configuration.json} (replaced atomically
 * by {@link DurableFile}) plus a journal {@code configuration.log}, one JSON line per commit,
 * appended and fsynced before the commit is answered. A commit thus costs O(its changes) on
 * disk, not O(all datasets); the journal is folded into a new snapshot every so many changes.
 * A torn last line (a crash mid-append: never acknowledged) is dropped; anything else that does
 * not parse refuses the start, naming the file.
 */
final class ConfigurationFile implements AutoCloseable {
  private final Path snapshot;
  private final Path journal;
  private FileChannel appender;
  private long changesSinceSnapshot;

  ConfigurationFile(Path snapshot) {
    this.snapshot = snapshot;
    this.journal = snapshot.resolveSibling("configuration.log");
  }

  Path path() {
    return snapshot;
  }

  /**
   * The stored configuration (snapshot plus journal), empty when there is none yet; afterwards
   * the journal is folded into a fresh snapshot so every start begins with an empty journal.
   */
  Configuration load() throws IOException, CorruptConfigurationException {
    Configuration c = Configuration.empty();
    // a new data directory gets its snapshot (its epoch) before the first journaled commit, so
    // a crash before the first fold cannot give the replayed commits a different tag
    boolean rewrite = !Files.exists(snapshot);
    if (!rewrite) {
      try {
        Configuration.Persisted p =
            Json.read(Files.readAllBytes(snapshot), Configuration.Persisted.class);
        // a snapshot from before revisions: write its epoch down so restarts keep the tag
        rewrite = p.epoch() == null;
        c = Configuration.fromPersisted(p);
      } catch (ProtocolException | IllegalArgumentException e) {
        // never start empty over a damaged file: the operator decides (restore or move aside)
        throw new CorruptConfigurationException(snapshot, e.getMessage(), e);
      }
    }
    if (Files.exists(journal)) {
      rewrite = true;
      byte[] bytes = Files.readAllBytes(journal);
      int start = 0;
      int line = 0;
      for (int nl = indexOf(bytes, start); nl >= 0; start = nl + 1, nl = indexOf(bytes, start)) {
        line++;
        Change.Entry entry;
        try {
          entry = Json.read(new String(bytes, start, nl - start, StandardCharsets.UTF_8),
              Change.Entry.class);
        } catch (ProtocolException | IllegalArgumentException e) {
          throw new CorruptConfigurationException(journal, "line " + line + ": "
              + e.getMessage(), e);
        }
        if (entry.revision() <= c.revision()) {
          continue; // already in the snapshot: a crash came between snapshot and journal reset
        }
        c = c.apply(entry.changes(), entry.revision());
      }
    }
    if (rewrite) {
      snapshot(c);
    }
    return c;
  }

  /** Appends one commit and fsyncs it; the caller answers only after this returns. */
  void append(Change.Entry entry) throws IOException {
    if (appender == null) {
      appender = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
    }
    byte[] json = Json.writeBytes(entry);
    ByteBuffer buf = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
    long before = appender.size();
    try {
      while (buf.hasRemaining()) {
        appender.write(buf);
      }
      appender.force(false);
    } catch (IOException e) {
      // never leave half a line for the next commit to append after (a corrupt journal)
      appender.truncate(before);
      throw e;
    }
    changesSinceSnapshot += entry.changes().size();
  }

  /** Changes appended since the last snapshot: the caller folds the journal past a threshold. */
  long changesSinceSnapshot() {
    return changesSinceSnapshot;
  }

  /** Writes the whole configuration as the new snapshot, then empties the journal. */
  void snapshot(Configuration configuration) throws IOException {
    DurableFile.replace(snapshot, Json.writeBytes(configuration.persisted()));
    closeAppender();
    // the snapshot holds everything now; a crash before this delete replays entries it skips
    Files.deleteIfExists(journal);
    changesSinceSnapshot = 0;
  }

  @Override
  public void close() throws IOException {
    closeAppender();
  }

  private void closeAppender() throws IOException {
    if (appender != null) {
      appender.close();
      appender = null;
    }
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
