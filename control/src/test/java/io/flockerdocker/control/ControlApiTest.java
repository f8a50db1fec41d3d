package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every dataset endpoint and error path of the control API, over real HTTP, against spec 2-4. */
class ControlApiTest {
  @TempDir static Path data;
  static ControlService service;
  static ApiClient api;
  static String node1;
  static String node2;

  @BeforeAll
  static void start() throws Exception {
    node1 = newId();
    node2 = newId();
    service = ControlService.start(ControlSettings.defaults(data)).toCompletableFuture().get();
    api = new ApiClient(service.url());
  }

  @AfterAll
  static void stop() throws Exception {
    service.stop().toCompletableFuture().get();
  }

  static String newId() {
    return UUID.randomUUID().toString();
  }

  @Test
  void versionAndNodesWhenNoHostHasReported() throws Exception {
    assertThat(api.get("/version").json().toString()).isEqualTo("{\"flocker\":\"1.15.0\"}");
    ApiClient.Response nodes = api.get("/state/nodes");
    assertThat(nodes.status()).isEqualTo(200);
    assertThat(nodes.header("Content-Type")).isEqualTo("application/json");
    // nodes are whoever reports: nobody has, in this class
    assertThat(nodes.json().isArray()).isTrue();
    assertThat(nodes.json()).isEmpty();
    assertThat(service.url()).startsWith("http://127.0.0.1:");
  }

  @Test
  void createListsDatasetWithTagAndLowerCasedId() throws Exception {
    String id = newId();
    ApiClient.Response created = api.post("/configuration/datasets",
        "{\"primary\":\"" + node1.toUpperCase() + "\",\"dataset_id\":\"" + id.toUpperCase()
            + "\",\"metadata\":{\"name\":\"vol\"},\"maximum_size\":67108864}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("dataset_id").asText()).isEqualTo(id);
    assertThat(created.json().get("primary").asText()).isEqualTo(node1);
    assertThat(created.json().get("deleted").asBoolean()).isFalse();
    assertThat(created.json().get("maximum_size").asLong()).isEqualTo(67108864L);
    assertThat(created.header("X-Configuration-Tag")).isNull();

    ApiClient.Response list = api.get("/configuration/datasets");
    assertThat(list.header("X-Configuration-Tag")).matches("[0-9a-f]{32}");
    JsonNode mine = find(list.json(), id);
    assertThat(mine.get("metadata").get("name").asText()).isEqualTo("vol");
  }

  @Test
  void generatedIdMetadataAlwaysPresentSizeOmittedWhenUnset() throws Exception {
    ApiClient.Response r = api.post("/configuration/datasets", "{\"primary\":\"" + node1 + "\"}");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().get("dataset_id").asText()).matches(Schema.UUID_V4.pattern());
    assertThat(r.json().get("metadata").size()).isZero();
    assertThat(r.json().has("maximum_size")).isFalse();
    ApiClient.Response nullSize = api.post("/configuration/datasets",
        "{\"primary\":\"" + node1 + "\",\"maximum_size\":null}");
    assertThat(nullSize.status()).isEqualTo(201);
    assertThat(nullSize.json().has("maximum_size")).isFalse();
  }

  @Test
  void malformedBodiesAre400Decode() throws Exception {
    for (String body : new String[] {"", "{", "{\"primary\": }", "nope"}) {
      ApiClient.Response r = api.post("/configuration/datasets", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.json().get("description").asText()).isEqualTo(Reply.DECODE_ERROR);
      assertThat(r.json().has("errors")).isFalse();
    }
  }

  @Test
  void schemaViolationsAre400WithErrors() throws Exception {
    String p = "\"primary\":\"" + node1 + "\"";
    String many = IntStream.range(0, 17).mapToObj(i -> "\"k" + i + "\":\"v\"")
        .collect(Collectors.joining(","));
    String[] bodies = {
      "{}", "[]", "\"x\"", "{" + p + ",\"junk\":1}", "{\"primary\":42}",
      "{\"primary\":\"" + UUID.nameUUIDFromBytes(new byte[1]) + "\"}",
      "{" + p + ",\"dataset_id\":\"not-a-uuid\"}",
      "{" + p + ",\"maximum_size\":-67108864}", "{" + p + ",\"maximum_size\":1024}",
      "{" + p + ",\"maximum_size\":67109000}", "{" + p + ",\"maximum_size\":\"67108864\"}",
      "{" + p + ",\"maximum_size\":67108864.5}", "{" + p + ",\"metadata\":[]}",
      "{" + p + ",\"metadata\":{\"a\":1}}", "{" + p + ",\"metadata\":{" + many + "}}",
      "{" + p + ",\"metadata\":{\"a\":\"" + "x".repeat(257) + "\"}}",
      "{" + p + ",\"metadata\":{\"\":\"v\"}}"};
    for (String body : bodies) {
      ApiClient.Response r = api.post("/configuration/datasets", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.json().get("description").asText()).isEqualTo(Reply.SCHEMA_ERROR);
      assertThat(r.json().get("errors").size()).as(body).isPositive();
    }
    ApiClient.Response missing = api.post("/configuration/datasets", "{}");
    assertThat(missing.json().get("errors").get(0).asText())
        .isEqualTo("'primary' is a required property");
  }

  @Test
  void duplicateIdIs409AnyCaseAndEvenWhenDeleted() throws Exception {
    String id = api.create(node1, "\"dataset_id\":\"" + newId() + "\"");
    ApiClient.Response dup = api.post("/configuration/datasets",
        "{\"primary\":\"" + node2 + "\",\"dataset_id\":\"" + id.toUpperCase() + "\"}");
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.json().get("description").asText())
        .isEqualTo("The provided dataset_id is already in use.");
    assertThat(api.delete("/configuration/datasets/" + id).status()).isEqualTo(200);
    assertThat(api.post("/configuration/datasets",
        "{\"primary\":\"" + node2 + "\",\"dataset_id\":\"" + id + "\"}").status()).isEqualTo(409);
  }

  @Test
  void moveRulesAndNoOps() throws Exception {
    String id = api.create(node1, "");
    String tag = api.get("/configuration/datasets").header("X-Configuration-Tag");
    ApiClient.Response same =
        api.post("/configuration/datasets/" + id, "{\"primary\":\"" + node1 + "\"}");
    assertThat(same.status()).isEqualTo(200);
    assertThat(api.post("/configuration/datasets/" + id, "{}").status()).isEqualTo(200);
    assertThat(api.get("/configuration/datasets").header("X-Configuration-Tag")).isEqualTo(tag);

    ApiClient.Response moved =
        api.post("/configuration/datasets/" + id, "{\"primary\":\"" + node2 + "\"}");
    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.json().get("primary").asText()).isEqualTo(node2);
    assertThat(moved.json().has("metadata")).isTrue();
    assertThat(api.get("/configuration/datasets").header("X-Configuration-Tag")).isNotEqualTo(tag);

    assertThat(api.post("/configuration/datasets/" + id, "{\"junk\":1}").status()).isEqualTo(400);
    assertThat(api.post("/configuration/datasets/" + id, "{").status()).isEqualTo(400);
    ApiClient.Response unknown =
        api.post("/configuration/datasets/" + newId(), "{\"primary\":\"" + node2 + "\"}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("description").asText()).isEqualTo("Dataset not found.");
    // lookup is case-sensitive against the stored lower-case id
    assertThat(api.post("/configuration/datasets/" + id.toUpperCase(), "{}").status())
        .isEqualTo(404);
  }

  @Test
  void deleteIsIdempotentAndBlocksMoves() throws Exception {
    String id = api.create(node1, "");
    ApiClient.Response first = api.delete("/configuration/datasets/" + id);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().get("deleted").asBoolean()).isTrue();
    String tag = api.get("/configuration/datasets").header("X-Configuration-Tag");
    ApiClient.Response second = api.delete("/configuration/datasets/" + id);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json()).isEqualTo(first.json());
    assertThat(api.get("/configuration/datasets").header("X-Configuration-Tag")).isEqualTo(tag);
    assertThat(find(api.get("/configuration/datasets").json(), id).get("deleted").asBoolean())
        .isTrue();

    ApiClient.Response move =
        api.post("/configuration/datasets/" + id, "{\"primary\":\"" + node2 + "\"}");
    assertThat(move.status()).isEqualTo(405);
    assertThat(move.json().get("description").asText()).isEqualTo("The dataset has been deleted.");
    ApiClient.Response unknown = api.delete("/configuration/datasets/" + newId());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("description").asText()).isEqualTo("Dataset not found.");
  }

  @Test
  void staleTagIs412BeforeEverythingElse() throws Exception {
    String tag = api.get("/configuration/datasets").header("X-Configuration-Tag");
    String stale = "0".repeat(32);
    String ifm = "X-If-Configuration-Matches";
    ApiClient.Response create = api.post("/configuration/datasets", "{", ifm, stale);
    assertThat(create.status()).isEqualTo(412);
    assertThat(create.json().get("description").asText())
        .isEqualTo("Tag doesn't match. Required: " + stale + ", current: " + tag);
    assertThat(api.post("/configuration/datasets/" + newId(), "{}", ifm, stale).status())
        .isEqualTo(412);
    assertThat(api.delete("/configuration/datasets/" + newId(), ifm, stale).status())
        .isEqualTo(412);
    ApiClient.Response ok = api.post("/configuration/datasets",
        "{\"primary\":\"" + node1 + "\"}", ifm, tag);
    assertThat(ok.status()).isEqualTo(201);
  }

  @Test
  void unknownPathsAre404AndWrongMethods405() throws Exception {
    assertThat(api.get("/nope").status()).isEqualTo(404);
    assertThat(api.get("/configuration/nope").status()).isEqualTo(404);
    assertThat(api.delete("/version").status()).isEqualTo(405);
    assertThat(api.delete("/configuration/datasets").status()).isEqualTo(405);
    assertThat(api.get("/configuration/datasets/" + newId()).status()).isEqualTo(405);
    assertThat(api.post("/state/datasets", "{}").status()).isEqualTo(405);
  }

  static JsonNode find(JsonNode array, String id) {
    for (JsonNode n : array) {
      if (n.get("dataset_id").asText().equals(id)) {
        return n;
      }
    }
    throw new AssertionError("no dataset " + id + " in " + array);
  }
}
