package io.flockerdocker.agent.flocker;

import static io.flockerdocker.agent.flocker.FlockerClientContractSupport.assertFails;
import static io.flockerdocker.agent.flocker.FlockerClientContractSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HttpFlockerClient against canned replies: requests on the wire, status mapping, bad bodies. */
class HttpFlockerClientTest {
  static final String LOCAL =
      "pekko.actor.provider = local\npekko.remote.artery.canonical.port = 0\n";
  private static final String ID = "886ed03a-5606-453a-94a9-a1cbaf35164c";
  private static final String NODE = "0b2a4a83-9a3b-4c38-a5d2-1dbc5a5d2f6b";
  private static ActorSystem<Void> system;
  private final CannedServer server = CannedServer.http();
  private final HttpFlockerClient client = clientFor(server.url(), Duration.ofSeconds(5));

  @BeforeAll
  static void start() {
    system =
        ActorSystem.create(
            Behaviors.empty(), "http-flocker-client-test",
            ConfigFactory.parseString(LOCAL).withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @AfterEach
  void closeServer() {
    server.close();
  }

  private static HttpFlockerClient clientFor(URI url, Duration timeout) {
    return new HttpFlockerClient(system, url, Optional.empty(), timeout);
  }

  @Test
  void version_reads_the_release() {
    server.reply(200, "{\"flocker\": \"1.15.0\"}");
    assertThat(await(client.version())).isEqualTo("1.15.0");
    assertThat(server.last().method()).isEqualTo("GET");
    assertThat(server.last().path()).isEqualTo("/v1/version");
  }

  @Test
  void listing_drops_deleted_datasets_and_reads_the_tag() {
    server.reply(
        200,
        "[{\"dataset_id\": \"" + ID + "\", \"primary\": \"" + NODE + "\", \"deleted\": false,"
            + " \"metadata\": {\"name\": \"demo\"}, \"maximum_size\": 1073741824},"
            + " {\"dataset_id\": \"" + NODE + "\", \"primary\": \"" + NODE + "\","
            + " \"deleted\": true, \"metadata\": {}}]",
        Map.of("X-Configuration-Tag", "abc123"));
    DatasetsConfiguration listed = await(client.listDatasetsConfiguration());
    assertThat(listed.tag()).isEqualTo("abc123");
    assertThat(listed.datasets()).extracting(DatasetConfiguration::datasetId).containsExactly(ID);
    assertThat(listed.byName("demo").orElseThrow().maximumSize()).isEqualTo(1073741824L);
  }

  @Test
  void the_full_listing_keeps_deleted_datasets() {
    server.reply(
        200,
        "[{\"dataset_id\": \"" + NODE + "\", \"primary\": \"" + NODE + "\","
            + " \"deleted\": true, \"metadata\": {}}]",
        Map.of("X-Configuration-Tag", "abc123"));
    DatasetsConfiguration all = await(client.listAllDatasetsConfiguration());
    assertThat(all.datasets()).singleElement().satisfies(d -> assertThat(d.deleted()).isTrue());
  }

  @Test
  void a_report_is_put_under_the_nodes_uuid_and_a_stale_one_is_typed() {
    io.flockerdocker.protocol.flocker.NodeReport report =
        new io.flockerdocker.protocol.flocker.NodeReport(NODE, "10.0.0.1", 4524, "directory",
            7, 1, java.util.List.of());
    server.reply(200, "{}");
    await(client.reportState(report));
    assertThat(server.last().method()).isEqualTo("PUT");
    assertThat(server.last().path()).isEqualTo("/v1/state/nodes/" + NODE);
    assertThat(server.last().body()).contains("\"data_port\":4524").contains("\"seq\":1");
    server.reply(409, "{\"description\": \"stale report\"}");
    assertFails(client.reportState(report), Kind.STALE_REPORT);
    server.reply(200, "[{\"uuid\": \"" + NODE + "\", \"host\": \"10.0.0.1\","
        + " \"data_port\": 4524, \"backend\": \"directory\", \"epoch\": 7, \"seq\": 1,"
        + " \"datasets\": []}]");
    assertThat(await(client.listReports())).containsExactly(report);
    assertThat(server.last().path()).isEqualTo("/v1/state/reports");
  }

  @Test
  void listing_without_a_tag_is_a_server_error() {
    server.reply(200, "[]");
    assertThat(assertFails(client.listDatasetsConfiguration(), Kind.SERVER_ERROR).getMessage())
        .contains("X-Configuration-Tag");
  }

  @Test
  void conditional_create_sends_json_and_the_tag() {
    server.reply(
        201,
        "{\"dataset_id\": \"" + ID + "\", \"primary\": \"" + NODE + "\", \"deleted\": false,"
            + " \"metadata\": {\"name\": \"demo\"}}");
    CreateDatasetRequest request = new CreateDatasetRequest(NODE, null, null, Map.of("name", "demo"));
    DatasetConfiguration created = await(client.createDataset(request, Optional.of("tag-1")));
    assertThat(created.datasetId()).isEqualTo(ID);
    assertThat(created.maximumSize()).isNull();
    CannedServer.Seen seen = server.last();
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.path()).isEqualTo("/v1/configuration/datasets");
    assertThat(seen.contentType()).isEqualTo("application/json");
    assertThat(seen.ifMatches()).isEqualTo("tag-1");
    assertThat(seen.body()).contains("\"primary\":\"" + NODE + "\"").doesNotContain("dataset_id");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "create  | 400 | {\"description\": \"The provided JSON doesn't match the required schema.\", \"errors\": [\"x\"]} | BAD_REQUEST",
        "move    | 404 | {\"description\": \"Dataset not found.\"}             | NOT_FOUND",
        "move    | 405 | {\"description\": \"The dataset has been deleted.\"}  | DELETED",
        "create  | 409 | {\"description\": \"The provided dataset_id is already in use.\"} | DATASET_EXISTS",
        "acquire | 409 | {\"description\": \"Lease already held.\"}            | LEASE_HELD",
        "release | 404 | {\"description\": \"Lease not found.\"}               | NOT_FOUND",
        "create  | 412 | {\"description\": \"Tag doesn't match. Required: a, current: b\"} | CONFIGURATION_CHANGED",
        "delete  | 500 | \"3f2c0c@/1\"                                        | SERVER_ERROR",
        "list    | 503 | <html>busy</html>                                    | SERVER_ERROR",
      })
  void status_codes_map_to_kinds_with_the_description(
      String call, int status, String body, Kind kind) {
    server.reply(status, body);
    FlockerException e = assertFails(call(call), kind);
    assertThat(e.status()).isEqualTo(status);
    String description = body.replaceAll(".*\"description\": \"([^\"]*)\".*", "$1");
    assertThat(e.getMessage()).contains(description.replace("\"", ""));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{not json                          | malformed JSON",
        "{\"dataset_id\": \"x\"}            | expected a JSON array",
        "[{\"dataset_id\": 7}]               | element [0]: field 'dataset_id' has the wrong type",
        "''                                 | empty body: expected a JSON array",
      })
  void an_invalid_reply_is_a_server_error_with_a_clear_message(String body, String why) {
    server.reply(200, body);
    assertThat(assertFails(client.listDatasetsState(), Kind.SERVER_ERROR).getMessage())
        .startsWith("control service sent an invalid reply to GET /v1/state/datasets: " + why)
        .doesNotContain("com.fasterxml");
  }

  @Test
  void a_wrongly_typed_object_reply_is_a_server_error() {
    server.reply(201, "{\"dataset_id\": \"" + ID + "\", \"node_uuid\": 1, \"expires\": null}");
    assertThat(
            assertFails(client.acquireLease(ID, NODE, Optional.empty()), Kind.SERVER_ERROR)
                .getMessage())
        .isEqualTo(
            "control service sent an invalid reply to POST /v1/configuration/leases:"
                + " field 'node_uuid' has the wrong type: expected a string");
  }

  @Test
  void a_silent_server_is_unreachable_after_the_timeout() {
    server.silent();
    HttpFlockerClient impatient = clientFor(server.url(), Duration.ofMillis(300));
    assertThat(assertFails(impatient.version(), Kind.UNREACHABLE).getMessage())
        .startsWith("control service at " + server.url() + " unreachable: no reply");
  }

  @Test
  void a_refused_connection_is_unreachable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    HttpFlockerClient refused =
        clientFor(URI.create("http://127.0.0.1:" + port), Duration.ofMillis(300));
    assertThat(assertFails(refused.version(), Kind.UNREACHABLE).getMessage())
        .startsWith("control service at http://127.0.0.1:" + port + " unreachable: ");
  }

  private CompletionStage<?> call(String call) {
    return switch (call) {
      case "create" -> client.createDataset(
          new CreateDatasetRequest(NODE, null, null, null), Optional.empty());
      case "move" -> client.moveDataset(ID, NODE);
      case "delete" -> client.deleteDataset(ID);
      case "acquire" -> client.acquireLease(ID, NODE, Optional.empty());
      case "release" -> client.releaseLease(ID);
      case "list" -> client.listLeases();
      default -> throw new IllegalArgumentException(call);
    };
  }
}
