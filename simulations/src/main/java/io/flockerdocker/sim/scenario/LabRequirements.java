package io.flockerdocker.sim.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the real-Docker lab needs from this machine, as one human-readable reason. */
final class LabRequirements {
  /** Compose v1 (Debian's docker-compose 1.29), for the Compose scenarios. */
  static final String COMPOSE = "/usr/bin/docker-compose";

  private LabRequirements() {}

  static String unavailableReason(String client, String launcherResource) {
    if (!"linux".equalsIgnoreCase(System.getProperty("os.name"))) return "not Linux";
    if ("off".equalsIgnoreCase(System.getenv("DOCKERLAB"))) return "disabled by DOCKERLAB=off";
    if (!isRoot()) return "not root (needs netns, mounts and dockerd)";
    for (String bin : List.of(env("DOCKERD", "/usr/sbin/dockerd"), client, "/bin/busybox",
        "/usr/bin/nsenter", "/usr/bin/unshare", "/usr/bin/setsid", COMPOSE)) {
      if (!Files.isExecutable(Path.of(bin))) {
        return bin + " missing (apt-get install -y docker.io docker-compose busybox-static util-linux"
            + " iproute2)";
      }
    }
    if (!Files.isExecutable(Path.of("/sbin/ip")) && !Files.isExecutable(Path.of("/usr/sbin/ip"))) {
      return "ip missing (apt-get install -y iproute2)";
    }
    if (!Files.isExecutable(Path.of("/sbin/tc")) && !Files.isExecutable(Path.of("/usr/sbin/tc"))) {
      return "tc missing (apt-get install -y iproute2)";
    }
    return DockerLab.class.getResource(launcherResource) == null
        ? launcherResource + " not on the class path" : null;
  }

  static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[2].equals("0")); // effective uid
    } catch (IOException e) {
      return false; // no /proc/self/status: certainly not a Linux root we can use
    }
  }
}
