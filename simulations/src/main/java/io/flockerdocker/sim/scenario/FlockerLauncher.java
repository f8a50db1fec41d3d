package io.flockerdocker.sim.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How the lab invokes flocker-docker the way a user would: {@code java -jar agent-*-all.jar
 * <subcommand>} (the launcher contract, specs/command-line.md), with production heap flags.
 * {@code prefix} is everything before the subcommand (a test may put a stand-in there).
 */
public record FlockerLauncher(List<String> prefix) {
  private static final String JAR_PROPERTY = "flocker-docker.agent-jar";

  /** {@code java -jar} of {@link #agentJar()}. */
  public static FlockerLauncher find() {
    return ofJar(Path.of(System.getProperty("java.home"), "bin", "java"), agentJar());
  }

  /**
   * The agent fat jar: {@code -Dflocker-docker.agent-jar} (failsafe and bin/flocker-docker set
   * it), else the newest {@code agent/target/agent-*-all.jar} under the repo root.
   */
  public static Path agentJar() {
    String prop = System.getProperty(JAR_PROPERTY, "");
    if (!prop.isBlank()) {
      Path jar = Path.of(prop).toAbsolutePath();
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException("-D" + JAR_PROPERTY + "=" + jar + " does not exist: build it"
            + " with 'mvn -B -q -pl agent -am package -DskipTests'");
      }
      return jar;
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path target = d.resolve("agent/target");
      if (Files.isDirectory(target)) {
        try (Stream<Path> jars = Files.list(target)) {
          Path jar = jars.filter(p -> p.getFileName().toString().matches("agent-.*-all\\.jar"))
              .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
              .orElse(null);
          if (jar != null) return jar;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + target, e);
        }
      }
    }
    throw new IllegalStateException("no agent/target/agent-*-all.jar above " + Path.of("").toAbsolutePath()
        + " and -D" + JAR_PROPERTY + " unset: build it with 'mvn -B -q -pl agent -am package -DskipTests'");
  }

  /** The command line for one subcommand, e.g. {@code command("ca", "init", "--dir", d)}. */
  public List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static FlockerLauncher ofJar(Path java, Path jar) {
    // bin/flocker-docker's AGENT_JAVA_OPTS default: 3 hosts' JVMs share this box
    List<String> prefix = new ArrayList<>(List.of(java.toString()));
    prefix.addAll(LocalCluster.Options.PRODUCTION_JVM);
    prefix.addAll(List.of("-jar", jar.toString()));
    return new FlockerLauncher(List.copyOf(prefix));
  }
}
