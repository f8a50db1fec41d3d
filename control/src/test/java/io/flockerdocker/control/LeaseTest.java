package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lease endpoints (spec 4.9-4.11, 6): acquire, renew, conflict, release, expiry sweep. */
class LeaseTest {
  @TempDir static Path data;
  static ControlService service;
  static ApiClient api;
  static String node1;
  static String node2;

  @BeforeAll
  static void start() throws Exception {
    node1 = UUID.randomUUID().toString();
    node2 = UUID.randomUUID().toString();
    service = ControlService.start(ControlSettings.defaults(data)).toCompletableFuture().get();
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
    ApiClient.Response first = api.post("/configuration/leases", lease(ds, node1, "60"));
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().get("expires").asDouble()).isEqualTo(60.0);
    assertThat(first.body()).contains("60.0");
    String t1 = tag();
    assertThat(t1).isNotEqualTo(t0);

    ApiClient.Response renew = api.post("/configuration/leases", lease(ds, node1, "120"));
    assertThat(renew.status()).isEqualTo(200);
    assertThat(tag()).isNotEqualTo(t1);

    ApiClient.Response other = api.post("/configuration/leases", lease(ds, node2, "5"));
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.json().get("description").asText()).isEqualTo("Lease already held.");

    JsonNode listed = ControlApiTest.find(api.get("/configuration/leases").json(), ds);
    assertThat(listed.get("node_uuid").asText()).isEqualTo(node1);
    assertThat(listed.get("expires").asDouble()).isBetween(100.0, 120.0);

    String beforeRelease = tag();
    ApiClient.Response released = api.delete("/configuration/leases/" + ds);
    assertThat(released.status()).isEqualTo(200);
    assertThat(released.json().get("node_uuid").asText()).isEqualTo(node1);
    assertThat(tag()).isNotEqualTo(beforeRelease);
    ApiClient.Response again = api.delete("/configuration/leases/" + ds);
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.json().get("description").asText()).isEqualTo("Lease not found.");
  }

  @Test
  void permanentLeaseRenewedWithNullKeepsTag() throws Exception {
    String ds = UUID.randomUUID().toString();
    ApiClient.Response r = api.post("/configuration/leases", lease(ds, node2, "null"));
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().get("expires").isNull()).isTrue();
    String t = tag();
    assertThat(api.post("/configuration/leases", lease(ds, node2, "null")).status())
        .isEqualTo(200);
    assertThat(tag()).isEqualTo(t);
    assertThat(api.delete("/configuration/leases/" + ds).status()).isEqualTo(200);
  }

  @Test
  void expiredLeaseIsSweptAndChangesTag() throws Exception {
    String ds = UUID.randomUUID().toString();
    assertThat(api.post("/configuration/leases", lease(ds, node1, "0")).status())
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
      "{\"dataset_id\":\"" + ds + "\",\"node_uuid\":\"" + node1 + "\"}",
      lease(ds, node1, "\"soon\""), lease("short", node1, "1"),
      lease(ds, "not-a-uuid", "1"), "{\"dataset_id\":\"" + ds + "\",\"node_uuid\":\""
          + node1 + "\",\"expires\":1,\"extra\":true}"};
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
}
