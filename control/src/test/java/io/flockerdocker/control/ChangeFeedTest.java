package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change feed and the lookup by name over real HTTP: creates, deletes, lease holders and
 * hosts' state as current values since a version, the long-poll, 410 for an unknown version.
 */
class ChangeFeedTest {
  @TempDir static Path data;
  static ControlService service;
  static ApiClient api;
  static String node1 = UUID.randomUUID().toString();

  @BeforeAll
  static void start() throws Exception {
    service = ControlService.start(ControlSettings.defaults(data)).toCompletableFuture().get();
    api = new ApiClient(service.url());
  }

  @AfterAll
  static void stop() throws Exception {
    service.stop().toCompletableFuture().get();
  }

  static String version() throws Exception {
    return api.get("/x/changes").json().get("version").asText();
  }

  static JsonNode entry(JsonNode batch, String id) {
    for (JsonNode d : batch.get("datasets")) {
      if (d.get("dataset_id").asText().equals(id)) {
        return d;
      }
    }
    return null;
  }

  @Test
  void createsLeasesAndDeletesComeAsCurrentValuesSinceAVersion() throws Exception {
    String v0 = version();
    String id = api.create(node1, "");
    JsonNode created = api.get("/x/changes?since=" + v0 + "&timeout=0").json();
    assertThat(entry(created, id).get("configuration").get("primary").asText()).isEqualTo(node1);
    assertThat(entry(created, id).get("lease").isNull()).isTrue();
    String v1 = created.get("version").asText();

    api.post("/configuration/leases", "{\"dataset_id\":\"" + id + "\",\"node_uuid\":\"" + node1
        + "\",\"expires\":null}");
    api.delete("/configuration/datasets/" + id);
    JsonNode later = api.get("/x/changes?since=" + v1 + "&timeout=0").json();
    assertThat(later.get("datasets")).hasSize(1);
    assertThat(entry(later, id).get("configuration").get("deleted").asBoolean()).isTrue();
    assertThat(entry(later, id).get("lease").get("node_uuid").asText()).isEqualTo(node1);

    // a renewal by the holder is no change
    String v2 = later.get("version").asText();
    api.post("/configuration/leases", "{\"dataset_id\":\"" + id + "\",\"node_uuid\":\"" + node1
        + "\",\"expires\":null}");
    assertThat(api.get("/x/changes?since=" + v2 + "&timeout=0").json().get("datasets")).isEmpty();
  }

  @Test
  void aHostsNewCopyComesAsTheDatasetsStateAndTheNodeList() throws Exception {
    String host = UUID.randomUUID().toString();
    String id = api.create(host, "");
    String v0 = version();
    api.put("/state/nodes/" + host, Reports.report(host, 1, 1, Reports.manifest(id, 1)));
    JsonNode batch = api.get("/x/changes?since=" + v0 + "&timeout=0").json();
    assertThat(entry(batch, id).get("state").get("path").asText()).isEqualTo("/flocker/" + id);
    assertThat(entry(batch, id).get("state").get("primary").asText()).isEqualTo(host);
    assertThat(batch.get("nodes").toString()).contains(host);
    JsonNode copy = entry(batch, id).get("copies").get(0);
    assertThat(copy.get("node").asText()).isEqualTo(host);
    assertThat(copy.get("host").asText()).isEqualTo("127.0.0.1");
    assertThat(copy.get("data_port").asInt()).isEqualTo(4524);
    assertThat(copy.get("copy").get("state").asText()).isEqualTo("manifest");
    assertThat(copy.get("copy").get("generation").asLong()).isEqualTo(1);

    // the copy goes away: its state is null now, and it has no copies
    String v1 = batch.get("version").asText();
    api.put("/state/nodes/" + host, Reports.report(host, 1, 2));
    JsonNode gone = api.get("/x/changes?since=" + v1 + "&timeout=0").json();
    assertThat(entry(gone, id).get("state").isNull()).isTrue();
    assertThat(entry(gone, id).get("copies")).isEmpty();
    assertThat(gone.get("nodes").isNull()).isTrue();
  }

  @Test
  void heartbeatsAndUnchangedReportsAreNoChangeButANewDataPortIs() throws Exception {
    String host = UUID.randomUUID().toString();
    String id = api.create(host, "");
    String tag = api.put("/state/nodes/" + host, Reports.report(host, 1, 1,
        Reports.manifest(id, 1))).header("ETag");
    String v0 = version();
    assertThat(api.post("/x/heartbeat/" + host, "", "If-Match", tag).status()).isEqualTo(204);
    api.put("/state/nodes/" + host, Reports.report(host, 1, 2, Reports.manifest(id, 1)));
    assertThat(api.get("/x/changes?since=" + v0 + "&timeout=0").json().get("datasets"))
        .isEmpty();

    // a restarted agent back on another data port with the same copies: its peers must hear it
    api.put("/state/nodes/" + host, Json.write(new NodeReport(host, "127.0.0.1", 4600,
        "directory", 2, 0, List.of(Reports.manifest(id, 1)))));
    JsonNode moved = api.get("/x/changes?since=" + v0 + "&timeout=0").json();
    assertThat(moved.get("nodes").toString()).contains(host);
    // its copies carry the new port: each of them is a change too
    assertThat(entry(moved, id).get("copies").get(0).get("data_port").asInt()).isEqualTo(4600);
  }

  @Test
  void theLongPollAnswersOnTheNextChange() throws Exception {
    String v0 = version();
    CompletableFuture<ApiClient.Response> waiting =
        api.getAsync("/x/changes?since=" + v0 + "&timeout=30");
    String id = api.create(node1, "");
    JsonNode batch = waiting.get(20, TimeUnit.SECONDS).json();
    assertThat(entry(batch, id)).isNotNull();
  }

  @Test
  void anUnknownVersionIsGoneAndABadTimeoutIsA400() throws Exception {
    assertThat(api.get("/x/changes?since=another-run-5&timeout=0").status()).isEqualTo(410);
    assertThat(api.get("/x/changes?since=" + version() + "&timeout=x").status()).isEqualTo(400);
  }

  @Test
  void theLookupByNameGivesTheLiveDatasetAndItsLeaseOrNulls() throws Exception {
    String name = "vol-" + UUID.randomUUID();
    String id = api.create(node1, "\"metadata\":{\"name\":\"" + name + "\"}");
    api.post("/configuration/leases", "{\"dataset_id\":\"" + id + "\",\"node_uuid\":\"" + node1
        + "\",\"expires\":null}");
    JsonNode found = api.get("/x/datasets-by-name/" + name).json();
    assertThat(found.get("dataset").get("dataset_id").asText()).isEqualTo(id);
    assertThat(found.get("lease").get("node_uuid").asText()).isEqualTo(node1);
    api.delete("/configuration/datasets/" + id);
    JsonNode none = api.get("/x/datasets-by-name/" + name).json();
    assertThat(none.get("dataset").isNull()).isTrue();
    assertThat(none.get("lease").isNull()).isTrue();
  }
}
