package io.flockerdocker.agent.dataset.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Applies a stream to a staging directory that may hold a stale copy. Every entry is checked
 * before it touches the disk: a safe name, unique, whose parent is a real directory named earlier
 * by this stream; hard links only to earlier regular files of this stream. New content goes to
 * temp files; nothing is renamed, kept or deleted until the trailer verifies ({@link StagingCommit}).
 */
final class TreeReceiver {
  private static final FileAttribute<Set<PosixFilePermission>> DIR_OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final Path staging;
  private final StagingCommit commit;
  private final FileContentReceiver content = new FileContentReceiver();
  private final Fsyncer fsyncer = new Fsyncer();
  private final Set<String> dirs = new HashSet<>();
  /** Regular files of this stream → the inode to link to (temp file, or the kept final file). */
  private final Map<String, Path> linkable = new HashMap<>();
  private long entries;
  private long filesSent;
  private long filesKept;
  private long contentBytes;

  TreeReceiver(Path staging) {
    this.staging = staging;
    this.commit = new StagingCommit(staging, fsyncer);
  }

  PullResult receive(StreamIn in, long startNanos) throws TransferException {
    try (fsyncer) {
      while (true) {
        long frameStart = in.bytes();
        byte tag = in.tag();
        if (tag == Frames.ENTRY) {
          entry(in, in.json(EntryHeader.class));
        } else if (tag == Frames.TRAILER) {
          trailer(in, frameStart);
          long deleted = commit.commit();
          return new PullResult(
              entries, filesSent, filesKept, deleted, contentBytes, in.bytes(),
              System.nanoTime() - startNanos);
        } else if (tag == Frames.ABORT) {
          throw aborted(in);
        } else {
          throw StreamIn.malformed("unexpected tag " + tag + " after " + entries + " entries");
        }
      }
    } catch (TransferException e) {
      commit.discard(e);
      throw e;
    }
  }

  private void entry(StreamIn in, EntryHeader h) throws TransferException {
    String path = h.path();
    if (entries == 0) {
      if (!EntryHeader.DIR.equals(h.type()) || !SafeNames.ROOT.equals(path)) {
        throw SafeNames.unsafe(path, "a stream must start with its root directory");
      }
      prepareDir(staging, path);
      dirs.add(path);
      commit.named(path);
      commit.dirMeta(staging, path, h.meta());
      entries++;
      return;
    }
    SafeNames.check(path);
    if (!dirs.contains(SafeNames.parent(path))) {
      throw SafeNames.unsafe(path, "parent is not a directory of this stream");
    }
    if (!commit.named(path)) {
      throw SafeNames.unsafe(path, "named twice");
    }
    Path target = staging.resolve(path);
    switch (h.type() == null ? "" : h.type()) {
      case EntryHeader.DIR -> {
        prepareDir(target, path);
        dirs.add(path);
        commit.dirMeta(target, path, h.meta());
      }
      case EntryHeader.FILE -> {
        Path temp = content.receive(in, tempBeside(target), path, h.size());
        commit.replace(temp, target, path, true);
        applyMeta(temp, path, h.meta(), false);
        linkable.put(path, temp);
        filesSent++;
        contentBytes += content.dataBytes();
      }
      case EntryHeader.KEEP -> {
        commit.keep(target, path, h.meta(), h.size());
        linkable.put(path, target);
        filesKept++;
      }
      case EntryHeader.SYMLINK -> {
        if (h.target() == null || h.target().isEmpty() || h.target().indexOf('\0') >= 0) {
          throw SafeNames.unsafe(path, "symlink without a usable target");
        }
        Path temp = tempBeside(target);
        local(() -> Files.createSymbolicLink(temp, Path.of(h.target())), path);
        commit.replace(temp, target, path, false);
        applyMeta(temp, path, h.meta(), true);
      }
      case EntryHeader.HARDLINK -> {
        Path first = h.target() == null ? null : linkable.get(h.target());
        if (first == null) {
          throw SafeNames.unsafe(path, "hard link to " + h.target() + ", not an earlier file");
        }
        Path temp = tempBeside(target);
        local(() -> Files.createLink(temp, first), path);
        commit.replace(temp, target, path, false);
      }
      default -> throw SafeNames.unsafe(path, "unknown entry type " + h.type());
    }
    entries++;
  }

  private void trailer(StreamIn in, long frameStart) throws TransferException {
    StreamTrailer t = in.json(StreamTrailer.class);
    long expected = in.crc();
    long actual = in.int64();
    if (t.entries() != entries || t.bytes() != frameStart) {
      throw new TransferException(
          TransferException.Kind.CHECKSUM,
          "trailer says " + t.entries() + " entries / " + t.bytes() + " bytes, got "
              + entries + " / " + frameStart);
    }
    if (actual != expected) {
      throw new TransferException(TransferException.Kind.CHECKSUM, "stream CRC32C mismatch");
    }
  }

  static TransferException aborted(StreamIn in) throws TransferException {
    StreamTrailer t = in.json(StreamTrailer.class);
    return new TransferException(
        TransferException.Kind.REFUSED, "the sender aborted the stream: " + t.reason());
  }

  /** Makes {@code dir} a real directory: anything else there (file, symlink) is removed first. */
  private static void prepareDir(Path dir, String rel) throws TransferException {
    try {
      PosixMeta.Stat st = Files.exists(dir, PosixMeta.NOFOLLOW) ? PosixMeta.stat(dir) : null;
      if (st != null && st.isDir()) {
        return;
      }
      if (st != null) {
        Files.delete(dir);
      }
      // owner-only until its own mode is set at commit, like files (FileContentReceiver)
      Files.createDirectory(dir, DIR_OWNER_ONLY);
    } catch (IOException e) {
      throw LocalIo.failure("cannot create directory " + rel, e);
    }
  }

  private static void applyMeta(Path p, String rel, PosixMeta meta, boolean symlink)
      throws TransferException {
    local(() -> meta.apply(p, symlink), rel);
  }

  private static Path tempBeside(Path target) {
    long r = ThreadLocalRandom.current().nextLong();
    return target.resolveSibling(".ft-" + Long.toHexString(r) + ".tmp");
  }

  /** A local file operation whose failure is the receiver's disk's, not the stream's. */
  interface LocalOp {
    void run() throws IOException;
  }

  static void local(LocalOp op, String rel) throws TransferException {
    try {
      op.run();
    } catch (IOException e) {
      throw LocalIo.failure("cannot write " + rel, e);
    }
  }
}
