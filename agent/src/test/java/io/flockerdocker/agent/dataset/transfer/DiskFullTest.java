package io.flockerdocker.agent.dataset.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: a TLS pull of 12 MiB into staging on a 4 MiB tmpfs must fail as NO_SPACE,
 * leave the source alone and no half-written file behind, and succeed once the fs has room.
 */
class DiskFullTest {
  static final long SMALL = 4L << 20;
  static final int FILES = 12;
  static final int FILE_SIZE = (1 << 20) + 4099; // odd, so no write ends exactly on a page

  @TempDir Path tmp;
  Path src;
  Path small;
  Path staging;
  boolean mounted;
  TlsDataServer server;
  TlsDataClient client;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(
        ((Integer) Files.getAttribute(Files.createFile(tmp.resolve("uid-probe")), "unix:uid")) == 0,
        "mounting a tmpfs needs root");
    Assumptions.assumeTrue(onPath("mount") && onPath("umount"), "no mount(8) on PATH");
    small = Files.createDirectory(tmp.resolve("small"));
    mounted = Tmpfs.mount(small, "size=4m");
    staging = small.resolve("staging");
    src = Files.createDirectory(tmp.resolve("src"));
    TransferPki pki = new TransferPki(Files.createDirectory(tmp.resolve("pki")), "cluster");
    server =
        TlsDataServer.start(
            "127.0.0.1", 0, pki.node("node-" + TlsRoundTripTest.SERVER),
            (id, requester) ->
                id.equals("ds") && requester.equals(TlsRoundTripTest.CLIENT)
                    ? SourceResolver.Decision.serve(src)
                    : SourceResolver.Decision.refuse("not yours"),
            Duration.ofSeconds(20));
    client =
        new TlsDataClient(
            pki.node("node-" + TlsRoundTripTest.CLIENT), TlsRoundTripTest.CLIENT,
            Duration.ofSeconds(5), Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (mounted) {
        Tmpfs.unmount(small);
      }
    }
  }

  PullResult pull() throws TransferException {
    return client.pull(new Peer("127.0.0.1", server.port(), TlsRoundTripTest.SERVER), "ds", staging);
  }

  @Test
  void fullDiskIsNoSpaceLeavesNoTornFileAndTheRetryCompletesOnceThereIsRoom() throws Exception {
    randomTree(src);
    TreeSnapshot before = TreeSnapshot.of(src);
    FileStore store = Files.getFileStore(small);
    assertEquals(SMALL, store.getTotalSpace(), "the staging fs is the small tmpfs");
    assertTrue((long) FILES * FILE_SIZE > 2 * SMALL, "the tree cannot fit, by far");

    TransferException e = assertThrows(TransferException.class, this::pull);

    assertEquals(TransferException.Kind.NO_SPACE, e.kind(), e.toString());
    assertEquals(before, TreeSnapshot.of(src), "the source is untouched");
    // nothing may carry a final name unless it is complete, and no temp file may survive
    List<String> torn = new ArrayList<>();
    try (Stream<Path> all = Files.walk(staging)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        String rel = staging.relativize(p).toString();
        TreeSnapshot.Item original = before.items().get(rel);
        if (original == null || !original.sha256().equals(TreeSnapshot.sha256(p))) {
          torn.add(rel);
        }
      }
    }
    assertEquals(List.of(), torn, "temp or incomplete files left in staging");
    // an unlinked temp file still held open would keep its pages: the space must really be back
    long used = store.getTotalSpace() - store.getUnallocatedSpace();
    assertTrue(used < (256 << 10), "tmpfs still holds " + used + " bytes after the failure");

    Tmpfs.remount(small, "size=64m");
    PullResult retry = pull();

    assertEquals(before, TreeSnapshot.of(staging), "the retry delivered the whole tree");
    assertEquals(before, TreeSnapshot.of(src), "the source is still untouched");
    assertEquals(FILES, retry.filesSent() + retry.filesKept());
  }

  /** {@link #FILES} files of random bytes in nested directories, seeded so a failure repeats. */
  static void randomTree(Path root) throws IOException {
    Random random = new Random(7);
    byte[] data = new byte[FILE_SIZE];
    for (int i = 0; i < FILES; i++) {
      Path dir = Files.createDirectories(root.resolve("d" + (i % 3)).resolve("e" + (i % 2)));
      random.nextBytes(data);
      Files.write(dir.resolve(String.format("f%02d.bin", i)), data);
    }
  }

  static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null
        && Stream.of(path.split(File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  /** mount(8) and umount(8) through ProcessBuilder, each bounded in time, output kept for errors. */
  static final class Tmpfs {
    private Tmpfs() {}

    /**
     * Mounts a tmpfs of {@code options} on {@code dir}; true once mounted. A kernel that refuses
     * root a mount (a container without CAP_SYS_ADMIN) means mount is unavailable: the test skips.
     */
    static boolean mount(Path dir, String options) throws IOException, InterruptedException {
      Result r = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
      if (r.rc() != 0) {
        String out = r.output().toLowerCase(java.util.Locale.ROOT);
        Assumptions.assumeFalse(
            out.contains("permission denied") || out.contains("not permitted")
                || out.contains("must be superuser"),
            "mount refused: " + r.output());
        throw new IOException("mount tmpfs on " + dir + " failed (" + r.rc() + "): " + r.output());
      }
      return true;
    }

    static void remount(Path dir, String options) throws IOException, InterruptedException {
      Result r = run("mount", "-o", "remount," + options, dir.toString());
      if (r.rc() != 0) {
        throw new IOException("remount " + dir + " failed (" + r.rc() + "): " + r.output());
      }
    }

    /** Unmounts; if that fails, detaches lazily so no mount outlives the test, and still fails. */
    static void unmount(Path dir) throws IOException, InterruptedException {
      Result r = run("umount", dir.toString());
      if (r.rc() != 0) {
        Result lazy = run("umount", "-l", dir.toString());
        throw new IOException(
            "umount " + dir + " failed (" + r.rc() + "): " + r.output() + "; lazy umount: "
                + lazy.rc() + " " + lazy.output());
      }
    }

    private record Result(int rc, String output) {}

    private static Result run(String... command) throws IOException, InterruptedException {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in 30 s");
      }
      return new Result(
          p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
