package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A restart on the same data directory keeps every dataset, lease, the tag and the hosts' last
 * reports (else a primary would create an empty copy of a dataset whose holder has not reported
 * yet); a damaged configuration or report file stops start-up instead of being replaced.
 */
class PersistenceTest {
  @TempDir Path data;

  @Test
  void restartKeepsConfigurationLeasesTagAndReports() throws Exception {
    String node1 = UUID.randomUUID().toString();
    String node2 = UUID.randomUUID().toString();
    ControlSettings settings = ControlSettings.defaults(data);
    ControlService first = ControlService.start(settings).toCompletableFuture().get();
    ApiClient api = new ApiClient(first.url());
    String live = api.create(node1, "\"metadata\":{\"name\":\"a\",\"b\":\"c\",\"d\":\"e\"}");
    String gone = api.create(node2, "");
    api.delete("/configuration/datasets/" + gone);
    String timed = UUID.randomUUID().toString();
    api.post("/configuration/leases", "{\"dataset_id\":\"" + live + "\",\"node_uuid\":\""
        + node1 + "\",\"expires\":null}");
    api.post("/configuration/leases", "{\"dataset_id\":\"" + timed + "\",\"node_uuid\":\""
        + node2 + "\",\"expires\":3600}");
    assertThat(api.put("/state/nodes/" + node1, Reports.report(node1, 1, 1,
        Reports.manifest(live, 1))).status()).isEqualTo(200);
    ApiClient.Response before = api.get("/configuration/datasets");
    first.stop().toCompletableFuture().get();

    assertThat(data.resolve("configuration.json")).exists();
    assertThat(data.resolve("configuration.json.tmp")).doesNotExist();
    ControlService second = ControlService.start(settings).toCompletableFuture().get();
    try {
      ApiClient api2 = new ApiClient(second.url());
      ApiClient.Response after = api2.get("/configuration/datasets");
      assertThat(after.header("X-Configuration-Tag"))
          .isEqualTo(before.header("X-Configuration-Tag"));
      assertThat(after.json()).containsExactlyInAnyOrderElementsOf(before.json());
      assertThat(ControlApiTest.find(after.json(), gone).get("deleted").asBoolean()).isTrue();
      var leases = api2.get("/configuration/leases").json();
      assertThat(ControlApiTest.find(leases, live).get("expires").isNull()).isTrue();
      assertThat(ControlApiTest.find(leases, timed).get("expires").asDouble())
          .isBetween(3000.0, 3600.0);
      // the dataset is still known to be on node1, and node1's next report must be newer
      assertThat(api2.get("/state/reports").json()).hasSize(1);
      assertThat(ControlApiTest.find(api2.get("/state/datasets").json(), live)
          .get("primary").asText()).isEqualTo(node1);
      assertThat(api2.put("/state/nodes/" + node1, Reports.report(node1, 1, 1)).status())
          .isEqualTo(409);
      assertThat(api2.post("/configuration/datasets",
          "{\"primary\":\"" + node1 + "\",\"dataset_id\":\"" + gone + "\"}").status())
          .isEqualTo(409);
    } finally {
      second.stop().toCompletableFuture().get();
    }
  }

  @Test
  void aCorruptReportFileFailsStartAndIsKept() throws Exception {
    Path reports = java.nio.file.Files.createDirectories(data.resolve("reports"));
    Path file = reports.resolve(UUID.randomUUID() + ".json");
    java.nio.file.Files.writeString(file, "{\"uuid\": ");
    assertThatThrownBy(() -> ControlService.start(ControlSettings.defaults(data))
        .toCompletableFuture().get())
        .hasCauseInstanceOf(CorruptConfigurationException.class)
        .hasMessageContaining(file.toString());
    assertThat(file).hasContent("{\"uuid\": ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"datasets\": [", "null", "[]", "{\"datasets\": 5}",
      "{\"datasets\": [{\"primary\": 7}]}", ""})
  void aCorruptConfigurationFailsStartWithATypedErrorAndIsKept(String content) throws Exception {
    Path file = data.resolve("configuration.json");
    Files.writeString(file, content);
    ExecutionException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> ControlService.start(ControlSettings.defaults(data)).toCompletableFuture().get(),
        ExecutionException.class);
    assertThat(e.getCause()).isInstanceOf(CorruptConfigurationException.class);
    assertThat(((CorruptConfigurationException) e.getCause()).file()).isEqualTo(file);
    assertThat(e.getCause().getMessage()).startsWith(file + " is corrupt (")
        .contains("restore it from a backup or move it aside").doesNotContain("\n");
    assertThat(Files.readString(file)).isEqualTo(content);
  }
}
