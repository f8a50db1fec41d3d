package io.flockerdocker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data-sharing steps of conf/flocker-docker.service's ExecStart, run as systemd would
 * run them ({@code $$} is {@code $}, a trailing backslash joins lines) with a stand-in for java
 * that records its flags, writes an archive where {@code -XX:ArchiveClassesAtExit} says, and, like
 * the JVM, refuses (exit 134) an archive that is not whole.
 */
class SystemdUnitTest {
  private static final String WHOLE = "whole archive";

  @TempDir Path dir;
  private Path state;
  private Path jar;
  private Path calls;

  @BeforeEach
  void files() throws IOException {
    state = Files.createDirectory(dir.resolve("state"));
    jar = Files.writeString(dir.resolve("agent.jar"), "jar 1");
    calls = dir.resolve("calls");
    Path java = dir.resolve("java");
    Files.writeString(java, String.join("\n",
        "#!/bin/sh",
        "cds=\"\"; version=no",
        "for a in \"$@\"; do case \"$a\" in",
        "  -XX:*Archive*) cds=\"$a\" ;;",
        "  -version) version=yes ;;",
        "esac; done",
        "echo \"$cds $version\" >> " + calls,
        "if [ $version = yes ]; then",
        "  [ \"$(cat \"${cds#*=}\")\" = '" + WHOLE + "' ] || exit 134; exit 0",
        "fi",
        "case \"$cds\" in -XX:ArchiveClassesAtExit=*) echo '" + WHOLE + "' > \"${cds#*=}\" ;; esac",
        ""));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void theFirstRunRecordsAndTheNextKeepsAndMapsTheRecording() throws Exception {
    start();
    assertThat(lastCall()).isEqualTo("-XX:ArchiveClassesAtExit=" + archive() + ".new no");
    assertThat(Files.exists(Path.of(archive() + ".new"))).isTrue();

    start();
    assertThat(Files.exists(Path.of(archive() + ".new"))).isFalse();
    assertThat(Files.readString(archive()).strip()).isEqualTo(WHOLE);
    assertThat(lastCall()).isEqualTo("-XX:SharedArchiveFile=" + archive() + " no");
  }

  @Test
  void aRecordingCutShortIsDroppedAndTheArchiveKept() throws Exception {
    start();
    start();
    Files.writeString(Path.of(archive() + ".new"), "half an arch");
    start();
    assertThat(Files.exists(Path.of(archive() + ".new"))).isFalse();
    assertThat(Files.readString(archive()).strip()).isEqualTo(WHOLE);
    assertThat(lastCall()).isEqualTo("-XX:SharedArchiveFile=" + archive() + " no");
  }

  @Test
  void aNewJarIsRecordedAgain() throws Exception {
    start();
    start();
    replaceJarAfter(archive());
    start();
    assertThat(Files.exists(archive())).isFalse();
    assertThat(lastCall()).isEqualTo("-XX:ArchiveClassesAtExit=" + archive() + ".new no");
  }

  @Test
  void offRunsWithoutAnArchive() throws Exception {
    start("off");
    assertThat(lastCall()).isEqualTo(" no");
    assertThat(Files.list(state)).isEmpty();
  }

  /**
   * Installs a new jar, as an upgrade does (a new file renamed over the old one), with a change
   * time later than {@code than}'s: file times tick in steps of a few milliseconds, so it
   * installs again until the clock has moved past it (bounded).
   */
  private void replaceJarAfter(Path than) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    do {
      Path upgrade = Files.writeString(dir.resolve("agent.jar.new"), "jar 2");
      Files.move(upgrade, jar, StandardCopyOption.REPLACE_EXISTING);
    } while (!ctime(jar).isAfter(ctime(than)) && System.nanoTime() < until);
    assertThat(ctime(jar)).isAfter(ctime(than));
  }

  private static java.time.Instant ctime(Path p) throws IOException {
    return ((java.nio.file.attribute.FileTime) Files.getAttribute(p, "unix:ctime")).toInstant();
  }

  private Path archive() {
    return state.resolve("agent.jsa");
  }

  private String lastCall() throws IOException {
    List<String> lines = Files.readAllLines(calls);
    return lines.get(lines.size() - 1);
  }

  private void start() throws Exception {
    start("on");
  }

  /** The unit's ExecStart with the environment systemd gives it (the files here stand in). */
  private void start(String cds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", execStart())
        .redirectErrorStream(true);
    pb.environment().put("STATE_DIRECTORY", state.toString());
    pb.environment().put("FLOCKER_DOCKER_JAVA", dir.resolve("java").toString());
    pb.environment().put("FLOCKER_DOCKER_JAR", jar.toString());
    pb.environment().put("FLOCKER_DOCKER_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");
    pb.environment().put("FLOCKER_DOCKER_CDS", cds);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  /** The shell script of ExecStart=/bin/sh -c '...', unescaped as systemd does. */
  static String execStart() throws IOException {
    String unit = Files.readString(ConfFilesTest.CONF.resolve("flocker-docker.service"))
        .replace("\\\n", " ");
    String line = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
    String prefix = "ExecStart=/bin/sh -c '";
    assertThat(line).startsWith(prefix).endsWith("'");
    return line.substring(prefix.length(), line.length() - 1).replace("$$", "$");
  }
}
