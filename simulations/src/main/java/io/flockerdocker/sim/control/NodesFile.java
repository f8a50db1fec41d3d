package io.flockerdocker.sim.control;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.flockerdocker.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code <data>/nodes.json}: the CLI's node list, so generated node UUIDs survive a restart
 * (datasets and leases name nodes by UUID). Explicit {@code --node} values win over the file.
 */
final class NodesFile {
  record Entry(@JsonProperty("name") String name, @JsonProperty("uuid") String uuid,
      @JsonProperty("root") String root) {}

  private NodesFile() {}

  static List<NodeSpec> resolve(Path dataDir, List<ControlArgs.NodeArg> requested)
      throws IOException {
    Path file = dataDir.resolve("nodes.json");
    Map<String, Entry> known = new LinkedHashMap<>();
    if (Files.exists(file)) {
      for (Entry e : Json.mapper().readValue(Files.readAllBytes(file),
          new TypeReference<List<Entry>>() {})) {
        known.put(e.name(), e);
      }
    }
    List<ControlArgs.NodeArg> wanted = requested;
    if (wanted.isEmpty()) {
      wanted = known.isEmpty()
          ? List.of(new ControlArgs.NodeArg("node1", null, null),
              new ControlArgs.NodeArg("node2", null, null))
          : known.values().stream().map(e -> new ControlArgs.NodeArg(e.name(), null, null))
              .toList();
    }
    List<NodeSpec> nodes = new ArrayList<>();
    for (ControlArgs.NodeArg arg : wanted) {
      Entry old = known.get(arg.name());
      String uuid = arg.uuid() != null ? arg.uuid()
          : old != null ? old.uuid() : UUID.randomUUID().toString();
      Path root = arg.root() != null ? arg.root()
          : old != null ? Path.of(old.root()) : dataDir.resolve(arg.name()).resolve("flocker");
      nodes.add(new NodeSpec(arg.name(), uuid, root));
    }
    Files.createDirectories(dataDir);
    List<Entry> entries = nodes.stream()
        .map(n -> new Entry(n.name(), n.uuid(), n.datasetRoot().toString())).toList();
    Path tmp = file.resolveSibling("nodes.json.tmp");
    Files.write(tmp, Json.writeBytes(entries));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return nodes;
  }
}
