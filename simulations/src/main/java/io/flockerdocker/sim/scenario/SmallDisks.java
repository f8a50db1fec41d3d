package io.flockerdocker.sim.scenario;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Each local agent's dataset root as its own small filesystem (a tmpfs, root only), so a fault
 * run can fill one host's disk without touching the machine's: {@link #fill} writes a hidden
 * file until the filesystem says no space, {@link #free} removes it. The agents ignore names
 * starting with a dot in their root.
 */
final class SmallDisks implements AutoCloseable {
  private static final String FILLER = ".chaos-disk-full";
  private final List<Path> mounted = new ArrayList<>();

  /** Why small disks cannot be made here, or null if they can. */
  static String unavailableReason() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "not root (mounting a tmpfs needs it)";
    }
    return Files.isExecutable(Path.of("/bin/mount")) || Files.isExecutable(Path.of("/usr/bin/mount"))
        ? null : "mount missing";
  }

  /** Mounts a tmpfs of {@code size} (e.g. "64m") on {@code dir}, which is created if needed. */
  void mount(Path dir, String size) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", dir.toString());
    mounted.add(dir);
  }

  /** Fills the filesystem of {@code root} to the last byte; returns how many bytes that took. */
  static long fill(Path root) throws IOException {
    byte[] block = new byte[1 << 20];
    long written = 0;
    try (OutputStream out = Files.newOutputStream(root.resolve(FILLER),
        StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      while (true) {
        out.write(block);
        written += block.length;
      }
    } catch (IOException e) {
      // ENOSPC is what we wanted; the JDK gives it no type of its own, so ask the filesystem
      if (Files.getFileStore(root).getUsableSpace() >= block.length) {
        throw e;
      }
      return written;
    }
  }

  /** Gives the space back. */
  static void free(Path root) throws IOException {
    Files.deleteIfExists(root.resolve(FILLER));
  }

  @Override
  public void close() {
    for (Path dir : mounted) {
      try {
        run("umount", "-l", dir.toString());
      } catch (IOException | InterruptedException e) {
        System.err.println("[SmallDisks] cannot unmount " + dir + ": " + e.getMessage());
      }
    }
    mounted.clear();
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
    }
  }
}
