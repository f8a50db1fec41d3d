package io.flockerdocker.sim.control;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * Blocking file operations of the simulated dataset agents (recursive copy, delete, size). Only
 * ever called on the agents' I/O executor, never on a Pekko dispatcher or the config writer.
 */
final class DiskOps {
  /** Prefix of half-copied directories; a restart deletes them, a rename publishes them. */
  static final String PARTIAL_PREFIX = ".partial-";

  private DiskOps() {}

  static long size(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }

  /**
   * Copies {@code source} to {@code target} through a partial directory renamed at the end, so
   * {@code target} never exists half-filled, then removes {@code source}.
   */
  static void move(Path source, Path target) throws IOException {
    Path partial = target.resolveSibling(PARTIAL_PREFIX + target.getFileName());
    deleteRecursively(partial);
    Files.createDirectories(target.getParent());
    if (Files.exists(source)) {
      copyRecursively(source, partial);
    } else {
      Files.createDirectories(partial);
    }
    deleteRecursively(target);
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    deleteRecursively(source);
  }

  static void copyRecursively(Path source, Path target) throws IOException {
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        Files.createDirectories(target.resolve(source.relativize(dir)));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, target.resolve(source.relativize(file)),
            StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
