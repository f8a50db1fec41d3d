package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host reports over plain HTTP (no authentication on loopback): accepted, replaced only by a
 * newer one, refused whole when malformed, and the derived /state endpoints. Each test uses
 * fresh node and dataset UUIDs, so the shared service's other reports do not matter.
 */
class StateReportTest {
  @TempDir static Path data;
  static ControlService service;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    service = ControlService.start(ControlSettings.defaults(data)).toCompletableFuture().get();
    api = new ApiClient(service.url());
  }

  @AfterAll
  static void stop() throws Exception {
    service.stop().toCompletableFuture().get();
  }

  static String id() {
    return UUID.randomUUID().toString();
  }

  static JsonNode reportOf(String node) throws Exception {
    for (JsonNode r : api.get("/state/reports").json()) {
      if (r.get("uuid").asText().equals(node)) {
        return r;
      }
    }
    return null;
  }

  @Test
  void anAcceptedReportShowsInReportsDatasetsAndNodes() throws Exception {
    String node = id();
    String ds = id();
    ApiClient.Response put =
        api.put("/state/nodes/" + node, Reports.report(node, 5, 1, Reports.manifest(ds, 3)));
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.body()).isEqualTo("{}");

    JsonNode state = api.state(ds);
    assertThat(state.get("primary").asText()).isEqualTo(node);
    assertThat(state.get("path").asText()).isEqualTo("/flocker/" + ds);
    assertThat(reportOf(node).get("datasets").get(0).get("generation").asLong()).isEqualTo(3);
    JsonNode nodes = api.get("/state/nodes").json();
    assertThat(nodes.findValuesAsText("uuid")).contains(node);
    for (JsonNode n : nodes) {
      if (n.get("uuid").asText().equals(node)) {
        assertThat(n.get("host").asText()).isEqualTo("127.0.0.1");
      }
    }
  }

  @Test
  void aReportReplacesTheWholePreviousOne() throws Exception {
    String node = id();
    String first = id();
    String second = id();
    api.put("/state/nodes/" + node, Reports.report(node, 1, 1, Reports.manifest(first, 1)));
    assertThat(api.put("/state/nodes/" + node,
        Reports.report(node, 1, 2, Reports.manifest(second, 1))).status()).isEqualTo(200);
    assertThat(api.state(first)).isNull();
    assertThat(api.state(second).get("primary").asText()).isEqualTo(node);
    // a restarted agent (later epoch) may start counting again from 0
    assertThat(api.put("/state/nodes/" + node, Reports.report(node, 2, 0)).status())
        .isEqualTo(200);
    assertThat(api.state(second)).isNull();
  }

  @Test
  void aStaleReportIs409AndChangesNothing() throws Exception {
    String node = id();
    String ds = id();
    api.put("/state/nodes/" + node, Reports.report(node, 7, 10, Reports.manifest(ds, 1)));
    for (String stale : new String[] {Reports.report(node, 7, 10), Reports.report(node, 7, 9),
        Reports.report(node, 6, 99)}) {
      ApiClient.Response r = api.put("/state/nodes/" + node, stale);
      assertThat(r.status()).as(stale).isEqualTo(409);
      assertThat(r.json().get("description").asText()).startsWith("stale report");
    }
    assertThat(reportOf(node).get("seq").asLong()).isEqualTo(10);
    assertThat(api.state(ds).get("primary").asText()).isEqualTo(node);
  }

  @Test
  void malformedReportsAre400AndChangeNothing() throws Exception {
    String node = id();
    String ds = id();
    String good = Reports.report(node, 1, 1, Reports.manifest(ds, 1));
    api.put("/state/nodes/" + node, good);
    String before = api.get("/state/reports").body();
    String d = "\"dataset_id\":\"" + id() + "\"";
    String head = "{\"uuid\":\"" + node + "\",\"host\":\"h\",\"data_port\":4524,"
        + "\"backend\":\"directory\",\"epoch\":1,\"seq\":2,\"datasets\":";
    String[] bodies = {
      "", "{", "null", "[]", "{\"uuid\":\"" + node + "\"}",
      Reports.report(id(), 1, 2),
      head + "[{" + d + ",\"state\":\"lost\",\"path\":\"/x\",\"generation\":1}]}",
      head + "[{" + d + ",\"state\":\"manifest\",\"path\":\"/x\",\"generation\":-1}]}",
      head + "[{" + d + ",\"state\":\"manifest\",\"path\":\"x/y\",\"generation\":1}]}",
      head + "[{" + d + ",\"state\":\"manifest\",\"generation\":1}]}",
      head + "[{\"dataset_id\":\"nope\",\"state\":\"sealed\",\"path\":\"/x\",\"generation\":1}]}",
      head + "[{" + d + ",\"state\":\"sealed\",\"path\":\"/x\",\"generation\":1},{" + d
          + ",\"state\":\"sealed\",\"path\":\"/x\",\"generation\":1}]}",
      head + "[null]}", head + "5}"};
    for (String body : bodies) {
      ApiClient.Response r = api.put("/state/nodes/" + node, body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.json().get("description").asText()).as(body).isNotBlank();
    }
    ApiClient.Response badPath = api.put("/state/nodes/not-a-uuid",
        Reports.report("not-a-uuid", 1, 2));
    assertThat(badPath.status()).isEqualTo(400);
    assertThat(api.get("/state/reports").body()).isEqualTo(before);
  }

  @Test
  void theConfiguredPrimarysManifestCopyWinsElseTheHigherGeneration() throws Exception {
    String a = id();
    String b = id();
    String ds = api.create(a, "\"maximum_size\":67108864");
    api.put("/state/nodes/" + a, Reports.report(a, 1, 1, Reports.manifest(ds, 1)));
    api.put("/state/nodes/" + b, Reports.report(b, 1, 1, Reports.manifest(ds, 9)));
    JsonNode state = api.state(ds);
    assertThat(state.get("primary").asText()).isEqualTo(a);
    assertThat(state.get("maximum_size").asLong()).isEqualTo(67108864L);

    // not in the configuration at all: the newest copy
    String unconfigured = id();
    api.put("/state/nodes/" + a, Reports.report(a, 1, 2, Reports.manifest(unconfigured, 2)));
    api.put("/state/nodes/" + b, Reports.report(b, 1, 2, Reports.manifest(unconfigured, 4)));
    assertThat(api.state(unconfigured).get("primary").asText()).isEqualTo(b);
  }

  @Test
  void aDatasetOnlySealedOrReceivingIsListedWithoutPrimaryOrPath() throws Exception {
    String a = id();
    String b = id();
    String ds = id();
    api.put("/state/nodes/" + a, Reports.report(a, 1, 1, Reports.sealed(ds, 2)));
    api.put("/state/nodes/" + b, Reports.report(b, 1, 1, Reports.receiving(ds, 0)));
    JsonNode state = api.state(ds);
    assertThat(state).isNotNull();
    assertThat(state.has("primary")).isFalse();
    assertThat(state.has("path")).isFalse();
    api.put("/state/nodes/" + b, Reports.report(b, 1, 2, Reports.manifest(ds, 3)));
    assertThat(api.state(ds).get("primary").asText()).isEqualTo(b);
  }

  @Test
  void stateDatasetsAreSortedByDatasetId() throws Exception {
    String node = id();
    api.put("/state/nodes/" + node, Reports.report(node, 1, 1, Reports.manifest(id(), 1),
        Reports.manifest(id(), 1), Reports.sealed(id(), 1)));
    var ids = api.get("/state/datasets").json().findValuesAsText("dataset_id");
    assertThat(ids).isSorted();
  }
}
