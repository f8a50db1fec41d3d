package io.flockerdocker.sim.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The move benchmark's data set: about {@code bytes} of incompressible content in a mix of file
 * sizes a database or a build cache has (one big file, some medium ones, many small ones in
 * nested directories), reproducible from a seed.
 */
final class MixedTree {
  private MixedTree() {}

  /** Writes the tree under {@code root}; returns the regular files written, in order. */
  static List<Path> write(Path root, long bytes, long seed) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Path> files = new ArrayList<>();
    long big = bytes / 2;
    long medium = bytes / 4;
    long small = bytes - big - medium;
    files.add(file(root.resolve("big.bin"), big, rnd));
    int mediumSize = 4 * 1024 * 1024;
    for (long i = 0, n = Math.max(1, medium / mediumSize); i < n; i++) {
      files.add(file(root.resolve("medium").resolve("m" + i + ".bin"),
          Math.min(mediumSize, medium), rnd));
    }
    int smallSize = 32 * 1024;
    for (long i = 0, n = Math.max(1, small / smallSize); i < n; i++) {
      files.add(file(root.resolve("small").resolve("d" + (i % 64)).resolve("s" + i), smallSize,
          rnd));
    }
    return files;
  }

  /** Rewrites each of {@code relative} under {@code root} with new content of the same size. */
  static void touch(Path root, List<Path> relative, long seed) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (Path r : relative) {
      Path p = root.resolve(r.toString());
      file(p, Files.size(p), rnd);
    }
  }

  private static Path file(Path p, long size, SplittableRandom rnd) throws IOException {
    Files.createDirectories(p.getParent());
    byte[] buf = new byte[(int) Math.min(1 << 20, Math.max(1, size))];
    try (OutputStream out = Files.newOutputStream(p)) {
      for (long left = size; left > 0; ) {
        int n = (int) Math.min(buf.length, left);
        for (int i = 0; i < n; i += 8) {
          long v = rnd.nextLong();
          for (int k = 0; k < 8 && i + k < n; k++) {
            buf[i + k] = (byte) (v >>> (8 * k));
          }
        }
        out.write(buf, 0, n);
        left -= n;
      }
    }
    return p;
  }
}
