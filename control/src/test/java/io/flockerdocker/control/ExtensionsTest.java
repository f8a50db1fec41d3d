package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale extensions of docs/control-api-extensions.md over real HTTP: ETag/304 on the list
 * endpoints, the watch long-poll and create-if-name-unused, and their bad-input answers.
 */
class ExtensionsTest {
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

  static String name() {
    return "vol-" + UUID.randomUUID();
  }

  static ApiClient.Response createByName(String name, String body) throws Exception {
    return api.put("/x/datasets-by-name/" + URLEncoder.encode(name, StandardCharsets.UTF_8)
        .replace("+", "%20"), body, "If-None-Match", "*");
  }

  @Test
  void versionAdvertisesTheExtensionsInAHeaderAndKeepsFlockersBody() throws Exception {
    ApiClient.Response v = api.get("/version");
    assertThat(v.header("X-Control-Extensions"))
        .isEqualTo("etag, watch, create-if-name-unused, changes, changes-copies, "
            + "datasets-by-name, heartbeat");
    assertThat(v.json().toString()).isEqualTo("{\"flocker\":\"1.15.0\"}");
  }

  @Test
  void datasetsAnswer304ToTheirOwnEtagAndANewBodyAfterAChange() throws Exception {
    ApiClient.Response first = api.get("/configuration/datasets");
    String etag = first.header("ETag");
    assertThat(etag).startsWith("\"").endsWith("\"");
    assertThat(first.header("Cache-Control")).isEqualTo("no-cache");

    ApiClient.Response same = api.get("/configuration/datasets", "If-None-Match", etag);
    assertThat(same.status()).isEqualTo(304);
    assertThat(same.body()).isEmpty();
    assertThat(same.header("ETag")).isEqualTo(etag);
    assertThat(same.header("X-Configuration-Tag")).isEqualTo(first.header("X-Configuration-Tag"));
    // a list of candidates and the weak form match too (RFC 9110 weak comparison)
    assertThat(api.get("/configuration/datasets", "If-None-Match", "\"x\", W/" + etag).status())
        .isEqualTo(304);

    String id = api.create(node1, "");
    ApiClient.Response after = api.get("/configuration/datasets", "If-None-Match", etag);
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.header("ETag")).isNotEqualTo(etag);
    assertThat(ControlApiTest.find(after.json(), id)).isNotNull();
  }

  @Test
  void aLeaseChangesTheLeasesEtagAndTheTagButNotTheDatasetsEtag() throws Exception {
    String id = api.create(node1, "");
    ApiClient.Response datasets = api.get("/configuration/datasets");
    ApiClient.Response leases = api.get("/configuration/leases");
    assertThat(leases.header("ETag")).startsWith("W/\"");
    assertThat(api.post("/configuration/leases", "{\"dataset_id\":\"" + id
        + "\",\"node_uuid\":\"" + node1 + "\",\"expires\":600}").status()).isEqualTo(201);

    ApiClient.Response d2 = api.get("/configuration/datasets", "If-None-Match",
        datasets.header("ETag"));
    assertThat(d2.status()).isEqualTo(304);
    assertThat(d2.header("X-Configuration-Tag")).isNotEqualTo(datasets.header(
        "X-Configuration-Tag"));
    ApiClient.Response l2 = api.get("/configuration/leases", "If-None-Match",
        leases.header("ETag"));
    assertThat(l2.status()).isEqualTo(200);
    // a renewal by the holder keeps the (weak) leases ETag
    assertThat(api.post("/configuration/leases", "{\"dataset_id\":\"" + id
        + "\",\"node_uuid\":\"" + node1 + "\",\"expires\":900}").status()).isEqualTo(200);
    assertThat(api.get("/configuration/leases", "If-None-Match", l2.header("ETag")).status())
        .isEqualTo(304);
  }

  @Test
  void stateEtagsIgnoreHeartbeatsAndMoveWithContent() throws Exception {
    String host = UUID.randomUUID().toString();
    String id = api.create(host, "");
    assertThat(api.put("/state/nodes/" + host, Reports.report(host, 1, 1)).status())
        .isEqualTo(200);
    ApiClient.Response state = api.get("/state/datasets");
    ApiClient.Response nodes = api.get("/state/nodes");
    assertThat(api.put("/state/nodes/" + host, Reports.report(host, 1, 2)).status())
        .isEqualTo(200);
    assertThat(api.get("/state/datasets", "If-None-Match", state.header("ETag")).status())
        .isEqualTo(304);
    assertThat(api.get("/state/nodes", "If-None-Match", nodes.header("ETag")).status())
        .isEqualTo(304);

    assertThat(api.put("/state/nodes/" + host, Reports.report(host, 1, 3,
        Reports.manifest(id, 1))).status()).isEqualTo(200);
    ApiClient.Response changed = api.get("/state/datasets", "If-None-Match",
        state.header("ETag"));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(ControlApiTest.find(changed.json(), id).get("primary").asText()).isEqualTo(host);
  }

  @Test
  void theReportsEtagMovesWithContentAndEpochButNotWithSeq() throws Exception {
    String host = UUID.randomUUID().toString();
    String id = api.create(host, "");
    api.put("/state/nodes/" + host, Reports.report(host, 1, 1));
    String etag = api.get("/state/reports").header("ETag");
    assertThat(etag).startsWith("W/");
    api.put("/state/nodes/" + host, Reports.report(host, 1, 2));
    assertThat(api.get("/state/reports", "If-None-Match", etag).status()).isEqualTo(304);

    api.put("/state/nodes/" + host, Reports.report(host, 1, 3, Reports.manifest(id, 1)));
    ApiClient.Response content = api.get("/state/reports", "If-None-Match", etag);
    assertThat(content.status()).isEqualTo(200);
    api.put("/state/nodes/" + host, Reports.report(host, 2, 0, Reports.manifest(id, 1)));
    assertThat(api.get("/state/reports", "If-None-Match", content.header("ETag")).status())
        .isEqualTo(200);
  }

  @Test
  void aHeartbeatNamingTheStoredContentIs204AndChangesNothing() throws Exception {
    String host = UUID.randomUUID().toString();
    String id = api.create(host, "");
    ApiClient.Response put = api.put("/state/nodes/" + host, Reports.report(host, 1, 1,
        Reports.manifest(id, 1)));
    String tag = put.header("ETag");
    assertThat(tag).isNotBlank();
    String reports = api.get("/state/reports").header("ETag");
    String token = api.get("/x/watch").json().get("token").asText();

    assertThat(api.post("/x/heartbeat/" + host, "", "If-Match", tag).status()).isEqualTo(204);
    assertThat(api.get("/state/reports", "If-None-Match", reports).status()).isEqualTo(304);
    assertThat(api.get("/x/watch?since=" + token + "&timeout=0").status()).isEqualTo(304);
    // the same content again (seq up) keeps the tag: heartbeats may go on naming it
    assertThat(api.put("/state/nodes/" + host, Reports.report(host, 1, 2,
        Reports.manifest(id, 1))).header("ETag")).isEqualTo(tag);
  }

  @Test
  void aHeartbeatNamingOtherContentOrNoReportIs412() throws Exception {
    String host = UUID.randomUUID().toString();
    String id = api.create(host, "");
    assertThat(api.post("/x/heartbeat/" + host, "", "If-Match", "\"nothing\"").status())
        .isEqualTo(412);
    String tag = api.put("/state/nodes/" + host, Reports.report(host, 1, 1)).header("ETag");
    ApiClient.Response changed = api.put("/state/nodes/" + host, Reports.report(host, 1, 2,
        Reports.manifest(id, 1)));
    assertThat(changed.header("ETag")).isNotEqualTo(tag);
    assertThat(api.post("/x/heartbeat/" + host, "", "If-Match", tag).status()).isEqualTo(412);
    assertThat(api.post("/x/heartbeat/" + host, "").status()).isEqualTo(412);
    assertThat(api.post("/x/heartbeat/" + host, "", "If-Match", changed.header("ETag"))
        .status()).isEqualTo(204);
  }

  @Test
  void aWatchWithoutATokenAnswersAtOnceWithTheTokenAndTheEtags() throws Exception {
    ApiClient.Response w = api.get("/x/watch");
    assertThat(w.status()).isEqualTo(200);
    assertThat(w.json().get("token").asText()).isNotBlank();
    assertThat(w.json().get("etags").get("configuration/datasets").asText())
        .isEqualTo(api.get("/configuration/datasets").header("ETag"));
    assertThat(w.json().get("etags").has("state/datasets")).isTrue();
    assertThat(w.json().get("etags").has("state/nodes")).isTrue();
    assertThat(w.json().get("etags").has("configuration/leases")).isTrue();
  }

  @Test
  void aWatchOnTheCurrentTokenWithTimeoutZeroIs304() throws Exception {
    String token = api.get("/x/watch").json().get("token").asText();
    ApiClient.Response w = api.get("/x/watch?since=" + token + "&timeout=0");
    // another test may change something meanwhile; then it is a 200 with a newer token
    if (w.status() == 200) {
      assertThat(w.json().get("token").asText()).isNotEqualTo(token);
    } else {
      assertThat(w.status()).isEqualTo(304);
      assertThat(w.body()).isEmpty();
      assertThat(w.header("X-Watch-Token")).isEqualTo(token);
    }
  }

  @Test
  void aParkedWatchIsAnsweredByTheNextChange() throws Exception {
    String token = api.get("/x/watch").json().get("token").asText();
    int before = service.watchers();
    CompletableFuture<ApiClient.Response> parked =
        api.getAsync("/x/watch?since=" + token + "&timeout=50");
    Poll.until("the watch is parked", () -> service.watchers() > before || parked.isDone());
    api.create(node1, "");
    ApiClient.Response w = parked.get(60, TimeUnit.SECONDS);
    assertThat(w.status()).isEqualTo(200);
    assertThat(w.json().get("token").asText()).isNotEqualTo(token);
  }

  @Test
  void aBadWatchTimeoutIs400() throws Exception {
    for (String t : List.of("abc", "-1", "51", "1.5", "")) {
      ApiClient.Response r = api.get("/x/watch?since=x&timeout=" + t);
      assertThat(r.status()).as(t).isEqualTo(400);
      assertThat(r.json().get("description").asText()).contains("timeout");
    }
  }

  @Test
  void createByNameMakesOneDatasetAndAnswersTheSecondWithTheFirstsId() throws Exception {
    String name = name();
    ApiClient.Response created = createByName(name, "{\"primary\":\"" + node1
        + "\",\"metadata\":{\"size\":\"big\"}}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("metadata").get("name").asText()).isEqualTo(name);
    assertThat(created.json().get("metadata").get("size").asText()).isEqualTo("big");
    String id = created.json().get("dataset_id").asText();

    ApiClient.Response again = createByName(name, "{\"primary\":\"" + node1 + "\"}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("description").asText()).isEqualTo("The name is already in use.");
    assertThat(again.json().get("dataset_id").asText()).isEqualTo(id);
    assertThat(again.json().get("dataset")).isEqualTo(created.json());
  }

  @Test
  void aDeletedNameIsFreeAgain() throws Exception {
    String name = name();
    String id = createByName(name, "{\"primary\":\"" + node1 + "\"}").json()
        .get("dataset_id").asText();
    assertThat(api.delete("/configuration/datasets/" + id).status()).isEqualTo(200);
    ApiClient.Response again = createByName(name, "{\"primary\":\"" + node1 + "\"}");
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.json().get("dataset_id").asText()).isNotEqualTo(id);
  }

  @Test
  void aNameMadeThroughThePlainApiIsTakenToo() throws Exception {
    String name = name();
    String id = api.create(node1, "\"metadata\":{\"name\":\"" + name + "\"}");
    ApiClient.Response r = createByName(name, "{\"primary\":\"" + node1 + "\"}");
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().get("dataset_id").asText()).isEqualTo(id);
  }

  @Test
  void concurrentCreatesOfOneNameHaveExactlyOneWinner() throws Exception {
    String name = name();
    List<CompletableFuture<Integer>> all = IntStream.range(0, 16)
        .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
          try {
            return createByName(name, "{\"primary\":\"" + node1 + "\"}").status();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        })).toList();
    List<Integer> statuses = all.stream().map(CompletableFuture::join).toList();
    assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
    assertThat(statuses).filteredOn(s -> s == 409).hasSize(15);
  }

  @Test
  void badCreatesByNameAre400AndChangeNothing() throws Exception {
    String name = name();
    String tag = api.get("/configuration/datasets").header("X-Configuration-Tag");
    ApiClient.Response noHeader = api.put("/x/datasets-by-name/" + name,
        "{\"primary\":\"" + node1 + "\"}");
    assertThat(noHeader.status()).isEqualTo(400);
    assertThat(noHeader.json().get("description").asText()).contains("If-None-Match: *");
    assertThat(createByName(name, "{\"primary\":").status()).isEqualTo(400);
    assertThat(createByName(name, "{}").json().get("errors").toString()).contains("primary");
    ApiClient.Response otherName = createByName(name, "{\"primary\":\"" + node1
        + "\",\"metadata\":{\"name\":\"other\"}}");
    assertThat(otherName.status()).isEqualTo(400);
    assertThat(otherName.json().get("description").asText()).contains("differs");
    assertThat(createByName(name, "{\"primary\":\"" + node1 + "\",\"metadata\":7}").status())
        .isEqualTo(400);
    assertThat(createByName("x".repeat(257), "{\"primary\":\"" + node1 + "\"}").status())
        .isEqualTo(400);
    assertThat(api.get("/configuration/datasets").header("X-Configuration-Tag")).isEqualTo(tag);
  }
}
