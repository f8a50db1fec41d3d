package io.flockerdocker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The agent's packages depend one way: jdeps reads the compiled classes, and the graph of
 * package dependencies inside the agent must have no cycle (the root package, which holds the
 * Guardian and the launchers, only wires: nothing depends on it).
 */
class PackageDependenciesTest {
  private static final String ROOT = "io.flockerdocker.agent";
  private static final Pattern EDGE =
      Pattern.compile("^\\s+(io\\.flockerdocker\\.agent[\\w.]*)\\s+->\\s+(io\\.flockerdocker\\.agent[\\w.]*)\\s");

  @Test
  void agentPackagesFormADirectedAcyclicGraph() {
    Map<String, Set<String>> graph = packageGraph();
    assertThat(graph).as("the agent's package graph as jdeps sees it")
        .containsKeys(ROOT, ROOT + ".volume", ROOT + ".plugin", ROOT + ".mounts");
    assertThat(cycle(graph)).as("a dependency cycle between the agent's packages").isEmpty();
  }

  @Test
  void nothingDependsOnTheWiringPackage() {
    Map<String, Set<String>> graph = packageGraph();
    List<String> dependents = graph.entrySet().stream()
        .filter(e -> !e.getKey().equals(ROOT) && e.getValue().contains(ROOT))
        .map(Map.Entry::getKey).toList();
    assertThat(dependents).as("packages that depend on " + ROOT).isEmpty();
  }

  @Test
  void theCycleSearchFindsALoopAndOnlyALoop() {
    assertThat(cycle(new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a")))))
        .containsExactly("a", "b", "c", "a");
    assertThat(cycle(Map.of("a", Set.of("b", "c"), "b", Set.of("c"), "c", Set.of()))).isEmpty();
  }

  /** Package -> the agent packages it uses, from jdeps -verbose:package over target/classes. */
  private static Map<String, Set<String>> packageGraph() {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    int rc = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
        "-verbose:package", Path.of("target", "classes").toString());
    assertThat(rc).as("jdeps exit code").isZero();
    Map<String, Set<String>> graph = new TreeMap<>();
    for (String line : out.toString().split("\n")) {
      Matcher m = EDGE.matcher(line);
      if (m.find() && !m.group(1).equals(m.group(2))) {
        graph.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
        graph.computeIfAbsent(m.group(2), k -> new TreeSet<>());
      }
    }
    return graph;
  }

  /** One cycle as a path of packages, or empty (depth-first search with a path stack). */
  static List<String> cycle(Map<String, Set<String>> graph) {
    Set<String> done = new HashSet<>();
    for (String start : graph.keySet()) {
      List<String> found = visit(start, graph, done, new ArrayDeque<>(), new HashSet<>());
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  private static List<String> visit(String p, Map<String, Set<String>> graph, Set<String> done,
      Deque<String> path, Set<String> onPath) {
    if (onPath.contains(p)) {
      List<String> loop = new ArrayList<>();
      boolean in = false;
      for (String q : path) {
        in = in || q.equals(p);
        if (in) {
          loop.add(q);
        }
      }
      loop.add(p);
      return loop;
    }
    if (!done.add(p)) {
      return List.of();
    }
    path.addLast(p);
    onPath.add(p);
    for (String next : graph.getOrDefault(p, Set.of())) {
      List<String> found = visit(next, graph, done, path, onPath);
      if (!found.isEmpty()) {
        return found;
      }
    }
    path.removeLast();
    onPath.remove(p);
    return List.of();
  }
}
