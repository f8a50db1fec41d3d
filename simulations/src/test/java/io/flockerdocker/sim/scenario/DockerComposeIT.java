package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Compose project (Debian's docker-compose 1.29) with a flocker volume on two real dockerd
 * hosts with private dataset roots: up on host 1, down without -v, up on host 2 with the data
 * there, down -v removes the volume everywhere; unknown driver_opts get our error in compose's
 * output.
 */
class DockerComposeIT {
  private static final Duration COMPOSE_TIMEOUT = Duration.ofSeconds(180);
  private static final String WHO = "[DockerComposeIT] ";
  private static DockerCluster cluster;
  private static DockerE2E d;
  private static Path files;

  @BeforeAll
  static void up() throws Exception {
    LabGate.requireLab("DockerComposeIT");
    long pid = ProcessHandle.current().pid();
    // short: socket paths are limited to 108 bytes
    cluster = DockerCluster.up(DockerCluster.Options.of(2, Path.of("/tmp", "fdco-it-" + pid))
        .withKeepLogs(Path.of("/tmp", "fdco-it-" + pid + "-logs")), s -> System.err.println(WHO + s));
    d = new DockerE2E(cluster.lab());
    files = Files.createTempDirectory("fdco-projects");
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster != null) cluster.close();
    if (files != null) LocalCluster.deleteTree(files);
  }

  @Test
  void upOnHost1DownUpOnHost2SeesTheDataAndDownVRemovesTheVolume() throws Exception {
    Path project = project("shop", "", DockerSwarmIT.dataScript(4));
    compose(1, project, "up", "-d");
    d.awaitOutput(1, "wrote", "logs", "shop_app_1");
    assertThat(d.inspect(1, "shop_db")).isEqualTo("flocker global shop_db");
    compose(1, project, "down");
    assertThat(d.volumes(1)).as("down without -v keeps the volume").contains("flocker shop_db");

    compose(2, project, "up", "-d");
    d.awaitOutput(2, "intact", "logs", "shop_app_1");
    compose(2, project, "down", "-v");
    System.err.println(WHO + "after down -v, host1 dropped shop_db from volume ls in "
        + d.awaitListed(1, "flocker shop_db", false).toMillis() + " ms");
    assertThat(d.volumes(2)).doesNotContain("flocker shop_db");
    // a fresh up finds no old data: the dataset itself is gone, not just dockerd's record
    compose(1, project, "up", "-d");
    d.awaitOutput(1, "wrote", "logs", "shop_app_1");
    compose(1, project, "down", "-v");
  }

  @Test
  void unknownDriverOptsGetOurErrorInComposesOutput() throws Exception {
    Path project = project("bad", "    driver_opts: {colour: blue}\n", Swarm.idleAfter("echo up"));
    DockerLab.Result r = run(1, project, "up", "-d");
    System.err.println(WHO + "docker-compose up with driver_opts colour: exit " + r.exitCode() + ": "
        + r.stderr().strip());
    assertThat(r.exitCode()).as("docker-compose up: %s", r).isNotZero();
    assertThat(r.stderr()).contains("unknown option(s) colour", "valid options are size, profile");
    assertThat(d.volumes(1)).doesNotContain("flocker bad_db");
  }

  /** A project dir NAME with one service {@code app} on volume {@code db} (driver flocker). */
  private static Path project(String name, String opts, String script) throws Exception {
    Path dir = files.resolve(name);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("docker-compose.yml"), "version: \"3.8\"\nservices:\n  app:\n"
        + "    image: " + Swarm.IMAGE + "\n"
        + "    command: [\"sh\", \"-c\", \"" + script.replace("\"", "\\\"") + "\"]\n"
        + "    stop_grace_period: 1s\n    volumes: [\"db:/data\"]\n"
        + "volumes:\n  db:\n    driver: flocker\n" + opts);
    return dir;
  }

  private static void compose(int host, Path project, String... args) {
    DockerLab.Result r = run(host, project, args);
    assertThat(r.ok()).as("host%d docker-compose %s: %s", host, String.join(" ", args), r).isTrue();
  }

  private static DockerLab.Result run(int host, Path project, String... args) {
    List<String> cmd = new ArrayList<>(List.of(LabRequirements.COMPOSE, "--project-directory",
        project.toString(), "-f", project.resolve("docker-compose.yml").toString()));
    cmd.addAll(List.of(args));
    return Commands.run(cmd, Map.of("DOCKER_HOST", cluster.lab().dockerHost(host)), COMPOSE_TIMEOUT);
  }
}
