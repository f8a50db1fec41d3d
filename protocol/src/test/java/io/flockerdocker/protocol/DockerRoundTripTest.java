package io.flockerdocker.protocol;

import static io.flockerdocker.protocol.Golden.assertSameJson;
import static io.flockerdocker.protocol.Golden.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.protocol.docker.ActivateResponse;
import io.flockerdocker.protocol.docker.CapabilitiesResponse;
import io.flockerdocker.protocol.docker.CreateRequest;
import io.flockerdocker.protocol.docker.ErrResponse;
import io.flockerdocker.protocol.docker.GetResponse;
import io.flockerdocker.protocol.docker.ListResponse;
import io.flockerdocker.protocol.docker.MountRequest;
import io.flockerdocker.protocol.docker.MountResponse;
import io.flockerdocker.protocol.docker.NameRequest;
import io.flockerdocker.protocol.docker.Volume;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Docker VolumeDriver record against the bodies of specs/docker-volume-plugin-api.md §7,
 * including the exact bytes dockerd sends (compact JSON plus one {@code \n}).
 */
class DockerRoundTripTest {

  static Stream<Arguments> sameOnTheWayBack() {
    return Stream.of(
        Arguments.of("docker/create-request-opts-empty.json", CreateRequest.class),
        Arguments.of("docker/create-request-opts.json", CreateRequest.class),
        Arguments.of("docker/mount-request.json", MountRequest.class),
        Arguments.of("docker/name-request.json", NameRequest.class),
        Arguments.of("docker/activate-response.json", ActivateResponse.class),
        Arguments.of("docker/capabilities-response.json", CapabilitiesResponse.class),
        Arguments.of("docker/err-response-ok.json", ErrResponse.class),
        Arguments.of("docker/err-response-error.json", ErrResponse.class),
        Arguments.of("docker/mount-response.json", MountResponse.class),
        Arguments.of("docker/path-response-not-here.json", MountResponse.class),
        Arguments.of("docker/get-response.json", GetResponse.class),
        Arguments.of("docker/get-response-minimal.json", GetResponse.class),
        Arguments.of("docker/get-response-not-found.json", GetResponse.class),
        Arguments.of("docker/list-response.json", ListResponse.class),
        Arguments.of("docker/list-response-empty.json", ListResponse.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sameOnTheWayBack")
  void roundTrips(String golden, Class<?> type) throws ProtocolException {
    Object record = Json.read(bytes(golden), type);
    assertSameJson(Json.write(record), bytes(golden), golden);
    assertThat(Json.read(Json.writeBytes(record), type)).isEqualTo(record);
  }

  @Test
  void implicitCreateSendsOptsNullWhichBecomesAnEmptyMap() throws ProtocolException {
    CreateRequest request = Json.read(bytes("docker/create-request-opts-null.json"), CreateRequest.class);
    assertThat(request).isEqualTo(new CreateRequest("demo", Map.of()));
    assertThat(Json.read(bytes("docker/create-request-opts-empty.json"), CreateRequest.class))
        .isEqualTo(request);
    assertSameJson(Json.write(request), bytes("docker/create-request-opts-empty.json"), "Opts null");
  }

  @Test
  void dockerdsExactBytesParse() throws ProtocolException {
    MountRequest mount = Json.read(bytes("docker/mount-request.json"), MountRequest.class);
    assertThat(mount.name()).isEqualTo("demo");
    assertThat(mount.id()).hasSize(64).matches("[0-9a-f]{64}");
    assertThat(Json.read(bytes("docker/name-request.json"), NameRequest.class).name()).isEqualTo("demo");
    assertThat(Json.read(bytes("docker/create-request-opts.json"), CreateRequest.class).opts())
        .containsExactlyInAnyOrderEntriesOf(Map.of("size", "10G", "profile", "gold"));
    // List and Capabilities send {} and carry nothing the plugin reads: it must still be an object
    assertThat(Golden.tree(bytes("docker/empty-request.json")).isObject()).isTrue();
    assertThat(Golden.tree(bytes("docker/empty-request.json")).isEmpty()).isTrue();
  }

  @Test
  void factoriesWriteTheCanonicalReplies() {
    assertSameJson(Json.write(ActivateResponse.volumeDriver()), bytes("docker/activate-response.json"), "activate");
    assertSameJson(Json.write(CapabilitiesResponse.global()), bytes("docker/capabilities-response.json"), "caps");
    assertSameJson(Json.write(ErrResponse.ok()), bytes("docker/err-response-ok.json"), "ok");
    assertSameJson(Json.write(GetResponse.notFound("demo")), bytes("docker/get-response-not-found.json"), "gone");
    assertSameJson(Json.write(ListResponse.of(List.of())), bytes("docker/list-response-empty.json"), "list");
    assertSameJson(Json.write(MountResponse.at("")), bytes("docker/path-response-not-here.json"), "path");
  }

  @Test
  void errIsAlwaysWrittenEvenWhenNull() {
    assertThat(Json.write(new ErrResponse(null))).isEqualTo("{\"Err\":\"\"}");
    assertThat(Json.write(new MountResponse(null, null))).isEqualTo("{\"Mountpoint\":\"\",\"Err\":\"\"}");
  }

  @Test
  void volumeOmitsCreatedAtAndStatusWhenUnsetAndNeverWritesAnEmptyCreatedAt() {
    // "" for CreatedAt makes dockerd drop the whole reply and purge the volume (spec §7.7)
    assertThat(Json.write(new Volume("demo", null, null, null)))
        .isEqualTo("{\"Name\":\"demo\",\"Mountpoint\":\"\"}");
    assertThat(Json.write(new Volume("demo", "", "", null))).doesNotContain("CreatedAt");
  }

  @Test
  void statusKeepsItsInsertionOrder() throws ProtocolException {
    GetResponse get = Json.read(bytes("docker/get-response.json"), GetResponse.class);
    assertThat(get.volume().status().keySet()).containsExactly("datasetId", "primaryNode", "sizeBytes");
    assertThat(Json.write(get)).contains("{\"datasetId\":\"7a1f0c1e-6d2b-4c8e-9f3a-2b1c0d9e8f7a\",\"primaryNode\"");
  }
}
