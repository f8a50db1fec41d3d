package io.flockerdocker.agent.dataset.transfer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Source trees for the tests, with every kind of entry and attribute the data plane must carry.
 * Times get sub-microsecond digits so a µs or 100 ns truncation anywhere shows.
 */
final class TestTrees {
  static final long BASE_NS = 1_600_000_000_123_456_789L;
  static final long SPARSE_SIZE = 64L << 20;

  private TestTrees() {}

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The mixed tree of the round-trip test; returns the paths whose times were set. */
  static void mixed(Path root) throws IOException {
    List<Path> made = new ArrayList<>();
    Path deep = Files.createDirectories(root.resolve("a/b/c"));
    made.add(write(deep.resolve("deep.txt"), "deep\n", 0644));
    Path suid = write(root.resolve("suid"), "#!/bin/sh\n", 04755);
    Path sgid = write(root.resolve("sgid"), "#!/bin/sh\n", 02755);
    Path secret = write(root.resolve("secret"), "s3cret", 0600);
    if (isRoot()) {
      owner(suid, 1234, 1234, 04755);
      owner(secret, 5678, 5679, 0600);
      owner(root.resolve("a/b"), 1234, 5679, 0750);
    }
    made.add(suid);
    made.add(sgid);
    made.add(secret);
    Files.createDirectory(root.resolve("empty"));
    Path sticky = Files.createDirectory(root.resolve("tmp"));
    Files.setAttribute(sticky, "unix:mode", 01777);
    Path link = Files.createSymbolicLink(root.resolve("link"), Path.of("a/b/c/deep.txt"));
    Path dangling = Files.createSymbolicLink(root.resolve("dangling"), Path.of("nowhere/else"));
    if (isRoot()) {
      Files.setAttribute(dangling, "unix:uid", 1234, PosixMeta.NOFOLLOW);
    }
    Path h1 = write(root.resolve("h1"), "linked twice", 0640);
    Files.createLink(root.resolve("a/h2"), h1);
    made.add(h1);
    made.add(big(root.resolve("a/big.bin"), 3 * 1024 * 1024 + 777));
    made.add(sparse(root.resolve("sparse.img")));
    made.add(link);
    made.add(dangling);
    long t = BASE_NS;
    for (Path p : made) {
      new PosixMeta(0, 0, 0, t += 1_000_000_007L).setMtime(p);
    }
    for (String dir : List.of("a/b/c", "a/b", "a", "empty", "tmp", ".")) {
      new PosixMeta(0, 0, 0, t += 3_000_000_011L).setMtime(root.resolve(dir));
    }
  }

  /** {@code n} small files f000.. in {@code root/files}, distinct content and ns mtimes. */
  static void many(Path root, int n) throws IOException {
    Path dir = Files.createDirectories(root.resolve("files"));
    for (int i = 0; i < n; i++) {
      Path f = write(dir.resolve(String.format("f%03d", i)), "file " + i + "\n", 0644);
      new PosixMeta(0, 0, 0, BASE_NS + i * 1_000_000_001L).setMtime(f);
    }
  }

  static Path write(Path file, String content, int mode) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setAttribute(file, "unix:mode", mode);
    return file;
  }

  /** Random bytes with a 64 KiB zero run inside, crossing the 1 MiB chunk size. */
  static Path big(Path file, int size) throws IOException {
    byte[] data = new byte[size];
    new Random(42).nextBytes(data);
    java.util.Arrays.fill(data, 1 << 20, (1 << 20) + 65536, (byte) 0);
    Files.write(file, data);
    return file;
  }

  /** 64 MiB long, two 4 KiB blocks of data, the rest never written. */
  static Path sparse(Path file) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      byte[] block = new byte[4096];
      java.util.Arrays.fill(block, (byte) 'x');
      raf.seek(1 << 20);
      raf.write(block);
      raf.seek(32L << 20);
      raf.write(block);
      raf.setLength(SPARSE_SIZE);
    }
    return file;
  }

  /** Bytes allocated on disk, from stat(1) (the JDK does not expose st_blocks). */
  static long allocatedBytes(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
    String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split(" ");
    p.waitFor();
    return Long.parseLong(out[0]) * Long.parseLong(out[1]);
  }

  private static void owner(Path p, int uid, int gid, int mode) throws IOException {
    Files.setAttribute(p, "unix:uid", uid, PosixMeta.NOFOLLOW);
    Files.setAttribute(p, "unix:gid", gid, PosixMeta.NOFOLLOW);
    Files.setAttribute(p, "unix:mode", mode, PosixMeta.NOFOLLOW);
  }
}
