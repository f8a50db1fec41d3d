package io.flockerdocker.sim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory of an agent process seen from outside: RSS from /proc, heap use via jcmd. */
final class AgentStats {
  private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  private AgentStats() {}

  /** VmRSS of {@code pid} in MB, or -1 if unreadable. */
  static double rssMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** Heap in use after a full GC, in MB (jcmd GC.run then GC.heap_info), or -1. */
  static double heapUsedMb(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      run(jcmd, pid, "GC.run");
      String info = run(jcmd, pid, "GC.heap_info");
      long used = 0;
      Matcher m = USED.matcher(info);
      while (m.find()) {
        used += Long.parseLong(m.group(2));
      }
      return used == 0 ? -1 : used / 1024.0;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String run(Path jcmd, long pid, String command)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return out;
  }
}
