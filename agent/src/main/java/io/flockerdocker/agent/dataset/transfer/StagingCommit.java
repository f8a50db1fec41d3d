package io.flockerdocker.agent.dataset.transfer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a verified stream does to staging, recorded while it is received and applied only after
 * the trailer checks out: wait for the temp files' fsyncs ({@link Fsyncer}), rename them over
 * their final names, apply kept files'
 * metadata, delete what the stream did not name, then set directory metadata deepest first and
 * fsync every directory bottom-up. {@link #discard} removes the temp files of a failed stream.
 */
final class StagingCommit {
  private record Replace(Path temp, Path target, String rel, boolean regular) {}

  private record Keep(Path target, String rel, PosixMeta meta) {}

  private record Dir(Path dir, String rel, PosixMeta meta, int depth) {}

  private final Path staging;
  private final Fsyncer fsyncer;
  private final Set<String> named = new HashSet<>();
  private final List<Replace> replaces = new ArrayList<>();
  private final List<Keep> keeps = new ArrayList<>();
  private final List<Dir> dirs = new ArrayList<>();

  StagingCommit(Path staging, Fsyncer fsyncer) {
    this.staging = staging;
    this.fsyncer = fsyncer;
  }

  /** Records that the stream names {@code rel}; false if it already did. */
  boolean named(String rel) {
    return named.add(rel);
  }

  void dirMeta(Path dir, String rel, PosixMeta meta) {
    int depth = rel.equals(SafeNames.ROOT) ? 0 : rel.split("/").length;
    dirs.add(new Dir(dir, rel, meta, depth));
  }

  void replace(Path temp, Path target, String rel, boolean regular) {
    replaces.add(new Replace(temp, target, rel, regular));
    if (regular) {
      fsyncer.submit(temp);
    }
  }

  /** A kept file must still be the regular file the have-list described. */
  void keep(Path target, String rel, PosixMeta meta, long size) throws TransferException {
    try {
      PosixMeta.Stat st = PosixMeta.stat(target);
      if (!st.isRegular() || st.size() != size || st.meta().mtimeNs() != meta.mtimeNs()) {
        throw new TransferException(
            TransferException.Kind.CHECKSUM, "kept file " + rel + " changed during the pull");
      }
      if (!st.meta().equals(meta)) {
        keeps.add(new Keep(target, rel, meta));
      }
    } catch (IOException e) {
      throw new TransferException(
          TransferException.Kind.CHECKSUM, "kept file " + rel + " is gone: " + e, e);
    }
  }

  /** Applies everything; returns how many local entries were deleted. */
  long commit() throws TransferException {
    long deleted = 0;
    fsyncer.awaitAll();
    for (Replace r : replaces) {
      try {
        if (Files.isDirectory(r.target(), PosixMeta.NOFOLLOW)) {
          deleted += deleteTree(r.target());
        }
        Files.move(r.temp(), r.target(), StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw LocalIo.failure("cannot install " + r.rel(), e);
      }
    }
    for (Keep k : keeps) {
      TreeReceiver.local(() -> k.meta().apply(k.target(), false), k.rel());
      TreeReceiver.local(() -> fsync(k.target()), k.rel());
    }
    deleted += deleteUnnamed();
    dirs.sort(Comparator.comparingInt(Dir::depth).reversed());
    for (Dir d : dirs) {
      TreeReceiver.local(() -> d.meta().apply(d.dir(), false), d.rel());
      TreeReceiver.local(() -> fsync(d.dir()), d.rel());
    }
    return deleted;
  }

  /** After a failure: drop temp files not yet renamed (the stale copy stays as it was). */
  void discard(TransferException cause) {
    for (Replace r : replaces) {
      try {
        Files.deleteIfExists(r.temp());
      } catch (IOException e) {
        cause.addSuppressed(e);
      }
    }
  }

  private long deleteUnnamed() throws TransferException {
    long[] deleted = {0};
    try {
      Files.walkFileTree(
          staging,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              if (dir.equals(staging) || named.contains(rel(dir))) {
                return FileVisitResult.CONTINUE;
              }
              deleted[0] += deleteTree(dir);
              return FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              if (!named.contains(rel(file))) {
                Files.delete(file);
                deleted[0]++;
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw LocalIo.failure("cannot delete stale entries", e);
    }
    return deleted[0];
  }

  private String rel(Path p) {
    return staging.relativize(p).toString();
  }

  /** Deletes a directory tree without following symlinks; returns the entries deleted. */
  static long deleteTree(Path root) throws IOException {
    long[] n = {0};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            n[0]++;
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            n[0]++;
            return FileVisitResult.CONTINUE;
          }
        });
    return n[0];
  }

  static void fsync(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, PosixMeta.NOFOLLOW)) {
      ch.force(true);
    }
  }
}
