package io.flockerdocker.sim.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The git commit the bench was built from, so that a report says which agent it measured. */
final class Commit {
  private Commit() {}

  /** {@code git rev-parse --short HEAD} in {@code home} (plus "+dirty"), or "unknown". */
  static String of(String home) {
    if (home == null || home.isEmpty()) {
      return "unknown";
    }
    try {
      String head = git(home, "rev-parse", "--short", "HEAD");
      if (head.isEmpty()) {
        return "unknown";
      }
      return git(home, "status", "--porcelain", "--untracked-files=no").isEmpty() ? head
          : head + "+dirty";
    } catch (java.io.IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static String git(String home, String... args)
      throws java.io.IOException, InterruptedException {
    String[] cmd = new String[args.length + 3];
    cmd[0] = "git";
    cmd[1] = "-C";
    cmd[2] = Path.of(home).toString();
    System.arraycopy(args, 0, cmd, 3, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      return "";
    }
    return out;
  }
}
