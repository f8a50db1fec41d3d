package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart on the same data directory keeps every dataset, lease, tag and file on disk. */
class PersistenceTest {
  @TempDir Path data;

  @Test
  void restartKeepsConfigurationLeasesTagAndState() throws Exception {
    ControlSettings settings = ControlSettings.defaults(data);
    NodeSpec node1 = settings.nodes().get(0);
    NodeSpec node2 = settings.nodes().get(1);
    ControlService first = ControlService.start(settings).toCompletableFuture().get();
    ApiClient api = new ApiClient(first.url());
    String live = api.create(node1.uuid(), "\"metadata\":{\"name\":\"a\",\"b\":\"c\",\"d\":\"e\"}");
    String gone = api.create(node2.uuid(), "");
    Poll.until("both manifest", () -> ConvergenceTestSupport.manifestOn(api, live, node1)
        && ConvergenceTestSupport.manifestOn(api, gone, node2));
    Files.writeString(node1.datasetRoot().resolve(live).resolve("f"), "payload");
    api.delete("/configuration/datasets/" + gone);
    Poll.until("destroyed", () -> api.state(gone) == null);
    String timed = UUID.randomUUID().toString();
    api.post("/configuration/leases", "{\"dataset_id\":\"" + live + "\",\"node_uuid\":\""
        + node1.uuid() + "\",\"expires\":null}");
    api.post("/configuration/leases", "{\"dataset_id\":\"" + timed + "\",\"node_uuid\":\""
        + node2.uuid() + "\",\"expires\":3600}");
    ApiClient.Response before = api.get("/configuration/datasets");
    first.stop().toCompletableFuture().get();

    assertThat(data.resolve("configuration.json")).exists();
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
      // state is rebuilt from disk, immediately, before serving
      assertThat(ConvergenceTestSupport.manifestOn(api2, live, node1)).isTrue();
      assertThat(api2.state(gone)).isNull();
      assertThat(Files.readString(node1.datasetRoot().resolve(live).resolve("f")))
          .isEqualTo("payload");
      assertThat(api2.post("/configuration/datasets",
          "{\"primary\":\"" + node1.uuid() + "\",\"dataset_id\":\"" + gone + "\"}").status())
          .isEqualTo(409);
    } finally {
      second.stop().toCompletableFuture().get();
    }
  }
}
