package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lease endpoints (spec 4.9-4.11, 6) and their enforcement by the simulated agents only. */
class LeaseTest {
  @TempDir static Path data;
  static ControlService service;
  static ApiClient api;
  static NodeSpec node1;
  static NodeSpec node2;

  @BeforeAll
  static void start() throws Exception {
    ControlSettings settings = ControlSettings.defaults(data);
    node1 = settings.nodes().get(0);
    node2 = settings.nodes().get(1);
    service = ControlService.start(settings).toCompletableFuture().get();
    api = new ApiClient(service.url());
  }

  @AfterAll
  static void stop() throws Exception {
    service.stop().toCompletableFuture().get();
  }

  static String lease(String ds, String node, String expires) {
    return "{\"dataset_id\":\"" + ds + "\",\"node_uuid\":\"" + node + "\",\"expires\":" + expires
        + "}";
  }

  static String tag() throws Exception {
    return api.get("/configuration/datasets").header("X-Configuration-Tag");
  }

  @Test
  void acquireRenewConflictRelease() throws Exception {
    String ds = UUID.randomUUID().toString(); // existence is not checked
    String t0 = tag();
    ApiClient.Response first = api.post("/configuration/leases", lease(ds, node1.uuid(), "60"));
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().get("expires").asDouble()).isEqualTo(60.0);
    assertThat(first.body()).contains("60.0");
    String t1 = tag();
    assertThat(t1).isNotEqualTo(t0);

    ApiClient.Response renew = api.post("/configuration/leases", lease(ds, node1.uuid(), "120"));
    assertThat(renew.status()).isEqualTo(200);
    assertThat(tag()).isNotEqualTo(t1);

    ApiClient.Response other = api.post("/configuration/leases", lease(ds, node2.uuid(), "5"));
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.json().get("description").asText()).isEqualTo("Lease already held.");

    JsonNode listed = ControlApiTest.find(api.get("/configuration/leases").json(), ds);
    assertThat(listed.get("node_uuid").asText()).isEqualTo(node1.uuid());
    assertThat(listed.get("expires").asDouble()).isBetween(100.0, 120.0);

    String beforeRelease = tag();
    ApiClient.Response released = api.delete("/configuration/leases/" + ds);
    assertThat(released.status()).isEqualTo(200);
    assertThat(released.json().get("node_uuid").asText()).isEqualTo(node1.uuid());
    assertThat(tag()).isNotEqualTo(beforeRelease);
    ApiClient.Response again = api.delete("/configuration/leases/" + ds);
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.json().get("description").asText()).isEqualTo("Lease not found.");
  }

  @Test
  void permanentLeaseRenewedWithNullKeepsTag() throws Exception {
    String ds = UUID.randomUUID().toString();
    ApiClient.Response r = api.post("/configuration/leases", lease(ds, node2.uuid(), "null"));
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().get("expires").isNull()).isTrue();
    String t = tag();
    assertThat(api.post("/configuration/leases", lease(ds, node2.uuid(), "null")).status())
        .isEqualTo(200);
    assertThat(tag()).isEqualTo(t);
    assertThat(api.delete("/configuration/leases/" + ds).status()).isEqualTo(200);
  }

  @Test
  void expiredLeaseIsSweptAndChangesTag() throws Exception {
    String ds = UUID.randomUUID().toString();
    assertThat(api.post("/configuration/leases", lease(ds, node1.uuid(), "0")).status())
        .isEqualTo(201);
    String t = tag();
    Poll.until("lease swept", () -> api.get("/configuration/leases").json()
        .findValuesAsText("dataset_id").stream().noneMatch(ds::equals));
    assertThat(tag()).isNotEqualTo(t);
  }

  @Test
  void leaseSchemaErrors() throws Exception {
    String ds = UUID.randomUUID().toString();
    String[] bad = {
      "{\"dataset_id\":\"" + ds + "\",\"node_uuid\":\"" + node1.uuid() + "\"}",
      lease(ds, node1.uuid(), "\"soon\""), lease("short", node1.uuid(), "1"),
      lease(ds, "not-a-uuid", "1"), "{\"dataset_id\":\"" + ds + "\",\"node_uuid\":\""
          + node1.uuid() + "\",\"expires\":1,\"extra\":true}"};
    for (String body : bad) {
      ApiClient.Response r = api.post("/configuration/leases", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.json().get("errors").size()).isPositive();
    }
    assertThat(api.post("/configuration/leases", "{").status()).isEqualTo(400);
    // Python's UUID() raising inside the handler: an unhandled 500 with a bare JSON string
    ApiClient.Response malformed = api.delete("/configuration/leases/xyz");
    assertThat(malformed.status()).isEqualTo(500);
    assertThat(malformed.json().isTextual()).isTrue();
  }

  @Test
  void leasedDatasetStaysUntilReleaseThenMoves() throws Exception {
    String id = api.create(node1.uuid(), "");
    Poll.until("manifest on node1", () -> ConvergenceTestSupport.manifestOn(api, id, node1));
    Files.writeString(node1.datasetRoot().resolve(id).resolve("data.txt"), "kept");
    assertThat(api.post("/configuration/leases", lease(id, node1.uuid(), "null")).status())
        .isEqualTo(201);
    ApiClient.Response move =
        api.post("/configuration/datasets/" + id, "{\"primary\":\"" + node2.uuid() + "\"}");
    assertThat(move.status()).isEqualTo(200);
    assertThat(move.json().get("primary").asText()).isEqualTo(node2.uuid());

    // probe created after the move converging: the agents have seen the move and held it
    String probe = api.create(node2.uuid(), "");
    Poll.until("probe manifest", () -> ConvergenceTestSupport.manifestOn(api, probe, node2));
    assertThat(ConvergenceTestSupport.manifestOn(api, id, node1)).isTrue();

    assertThat(api.delete("/configuration/leases/" + id).status()).isEqualTo(200);
    Poll.until("moved to node2", () -> ConvergenceTestSupport.manifestOn(api, id, node2));
    assertThat(Files.readString(node2.datasetRoot().resolve(id).resolve("data.txt")))
        .isEqualTo("kept");
  }

  @Test
  void leasedDatasetIsNotDestroyedUntilRelease() throws Exception {
    String id = api.create(node2.uuid(), "");
    Poll.until("manifest on node2", () -> ConvergenceTestSupport.manifestOn(api, id, node2));
    api.post("/configuration/leases", lease(id, node2.uuid(), "null"));
    assertThat(api.delete("/configuration/datasets/" + id).status()).isEqualTo(200);
    String probe = api.create(node1.uuid(), "");
    Poll.until("probe manifest", () -> ConvergenceTestSupport.manifestOn(api, probe, node1));
    assertThat(ConvergenceTestSupport.manifestOn(api, id, node2)).isTrue();
    assertThat(Files.isDirectory(node2.datasetRoot().resolve(id))).isTrue();
    api.delete("/configuration/leases/" + id);
    Poll.until("destroyed", () -> api.state(id) == null);
    assertThat(Files.exists(node2.datasetRoot().resolve(id))).isFalse();
  }
}
