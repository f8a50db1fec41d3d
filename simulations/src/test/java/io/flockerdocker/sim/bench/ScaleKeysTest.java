package io.flockerdocker.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flockerdocker.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench scale --json}: one object on the last line, with every key issue 16 names. */
class ScaleKeysTest {
  @Test
  void requiredKeysIncludeTheIssuesList() {
    assertThat(ScaleKeys.REQUIRED).contains("volumes", "nodes", "create_per_s",
        "idle_bytes_per_s_per_node", "idle_bytes_per_s_per_node_at_zero", "list_p99_ms",
        "rss_mb", "ready_s");
    assertThat(ScaleKeys.REQUIRED).doesNotHaveDuplicates();
  }

  @Test
  void missingFiguresArePrintedAsNullOnTheLastLine() throws Exception {
    Report r = new Report("scale").put("nodes", 3).put("volumes", 1000).put("create_per_s", 12.5);
    assertThat(ScaleKeys.complete(r)).isEqualTo(ScaleKeys.REQUIRED.size() - 3);
    assertThat(ScaleKeys.complete(r)).isZero();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    r.print(new PrintStream(out, true, StandardCharsets.UTF_8), true);
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    JsonNode last = Json.mapper().readTree(lines.get(lines.size() - 1));
    for (String k : ScaleKeys.REQUIRED) {
      assertThat(last.has(k)).as(k).isTrue();
    }
    assertThat(last.get("nodes").asInt()).isEqualTo(3);
    assertThat(last.get("create_per_s").asDouble()).isEqualTo(12.5);
    assertThat(last.get("ready_s").isNull()).isTrue();
  }
}
