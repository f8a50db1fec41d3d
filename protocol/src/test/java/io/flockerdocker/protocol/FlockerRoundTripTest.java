package io.flockerdocker.protocol;

import static io.flockerdocker.protocol.Golden.assertSameJson;
import static io.flockerdocker.protocol.Golden.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.ErrorDescription;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.UpdateDatasetRequest;
import io.flockerdocker.protocol.flocker.VersionResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Flocker control API record against the bodies of specs/flocker-control-api.md §2–§4. */
class FlockerRoundTripTest {
  static final String NODE1 = "0b6a1f3e-2c4d-4e5f-8a9b-1c2d3e4f5a6b";
  static final String DS1 = "886ed03a-5606-453a-94a9-a1cbaf35164c";

  static Stream<Arguments> objects() {
    return Stream.of(
        Arguments.of("flocker/dataset-configuration.json", DatasetConfiguration.class),
        Arguments.of("flocker/dataset-configuration-no-size.json", DatasetConfiguration.class),
        Arguments.of("flocker/dataset-configuration-deleted.json", DatasetConfiguration.class),
        Arguments.of("flocker/dataset-state-mounted.json", DatasetState.class),
        Arguments.of("flocker/dataset-state-in-transit.json", DatasetState.class),
        Arguments.of("flocker/dataset-state-minimal.json", DatasetState.class),
        Arguments.of("flocker/lease-expires.json", Lease.class),
        Arguments.of("flocker/lease-permanent.json", Lease.class),
        Arguments.of("flocker/lease-request.json", Lease.class),
        Arguments.of("flocker/create-dataset-request.json", CreateDatasetRequest.class),
        Arguments.of("flocker/create-dataset-request-full.json", CreateDatasetRequest.class),
        Arguments.of("flocker/update-dataset-request.json", UpdateDatasetRequest.class),
        Arguments.of("flocker/update-dataset-request-empty.json", UpdateDatasetRequest.class),
        Arguments.of("flocker/node.json", Node.class),
        Arguments.of("flocker/version.json", VersionResponse.class),
        Arguments.of("flocker/error-lease-held.json", ErrorDescription.class),
        Arguments.of("flocker/error-schema.json", ErrorDescription.class),
        Arguments.of("flocker/error-undecodable.json", ErrorDescription.class),
        Arguments.of("flocker/error-tag-mismatch.json", ErrorDescription.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("objects")
  void roundTrips(String golden, Class<?> type) throws ProtocolException {
    Object record = Json.read(bytes(golden), type);
    assertSameJson(Json.write(record), bytes(golden), golden);
    assertThat(Json.read(Json.writeBytes(record), type)).isEqualTo(record);
  }

  static Stream<Arguments> arrays() {
    return Stream.of(
        Arguments.of("flocker/dataset-configurations.json", DatasetConfiguration.class, 2),
        Arguments.of("flocker/dataset-states.json", DatasetState.class, 2),
        Arguments.of("flocker/leases.json", Lease.class, 2),
        Arguments.of("flocker/nodes.json", Node.class, 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("arrays")
  void listEndpointsRoundTrip(String golden, Class<?> type, int size) throws ProtocolException {
    List<?> records = Json.readList(bytes(golden), type);
    assertThat(records).hasSize(size).allSatisfy(r -> assertThat(r).isInstanceOf(type));
    assertSameJson(Json.write(records), bytes(golden), golden);
  }

  @Test
  void maximumSizeIsOmittedWhenUnsetNotNull() throws ProtocolException {
    DatasetConfiguration config =
        Json.read(bytes("flocker/dataset-configuration-no-size.json"), DatasetConfiguration.class);
    assertThat(config.maximumSize()).isNull();
    assertThat(Golden.tree(Json.writeBytes(config)).has("maximum_size")).isFalse();
    assertThat(Golden.tree(Json.writeBytes(config)).get("metadata").isObject()).isTrue();
    assertThat(Json.write(new DatasetConfiguration(DS1, NODE1, false, null, null)))
        .isEqualTo("{\"dataset_id\":\"" + DS1 + "\",\"primary\":\"" + NODE1
            + "\",\"deleted\":false,\"metadata\":{}}");
  }

  @Test
  void datasetConfigurationKnowsItsVolumeName() throws ProtocolException {
    DatasetConfiguration config =
        Json.read(bytes("flocker/dataset-configuration.json"), DatasetConfiguration.class);
    assertThat(config.name()).isEqualTo("demo");
    assertThat(config.maximumSize()).isEqualTo(1073741824L);
    assertThat(config.asDeleted().deleted()).isTrue();
    assertThat(config.withPrimary("x").primary()).isEqualTo("x");
    DatasetConfiguration deleted = new DatasetConfiguration(DS1, NODE1, false, config.metadata(), null);
    assertSameJson(Json.write(deleted.asDeleted()),
        bytes("flocker/dataset-configuration-deleted.json"), "deleted");
  }

  @Test
  void stateWithoutPrimaryOrPathIsInTransit() throws ProtocolException {
    DatasetState mounted = Json.read(bytes("flocker/dataset-state-mounted.json"), DatasetState.class);
    DatasetState moving = Json.read(bytes("flocker/dataset-state-in-transit.json"), DatasetState.class);
    assertThat(mounted.isManifestOn(NODE1)).isTrue();
    assertThat(mounted.isManifestOn("other")).isFalse();
    assertThat(moving.primary()).isNull();
    assertThat(moving.path()).isNull();
    assertThat(moving.isManifestOn(NODE1)).isFalse();
    assertThat(Json.write(new DatasetState(DS1, null, null, null)))
        .isEqualTo("{\"dataset_id\":\"" + DS1 + "\"}");
  }

  @Test
  void leaseExpiresIsANumberOrAnExplicitNull() throws ProtocolException {
    assertThat(Json.read(bytes("flocker/lease-expires.json"), Lease.class).expires()).isEqualTo(11.9);
    assertThat(Json.read(bytes("flocker/lease-request.json"), Lease.class).expires()).isEqualTo(60.0);
    Lease permanent = Json.read(bytes("flocker/lease-permanent.json"), Lease.class);
    assertThat(permanent.expires()).isNull();
    assertThat(Json.write(permanent)).endsWith("\"expires\":null}");
  }

  @Test
  void createRequestOmitsWhatIsUnsetAndNeverSendsDeleted() {
    assertThat(Json.write(new CreateDatasetRequest(NODE1, null, null, null)))
        .isEqualTo("{\"primary\":\"" + NODE1 + "\"}");
    assertSameJson(Json.write(new CreateDatasetRequest(NODE1, null, null, Map.of("name", "demo"))),
        bytes("flocker/create-dataset-request.json"), "create");
    assertThat(Json.write(new UpdateDatasetRequest(null))).isEqualTo("{}");
  }

  @Test
  void errorsArrayIsOmittedWhenThereAreNone() throws ProtocolException {
    assertThat(Json.write(ErrorDescription.of("Lease already held.")))
        .isEqualTo("{\"description\":\"Lease already held.\"}");
    ErrorDescription schema = Json.read(bytes("flocker/error-schema.json"), ErrorDescription.class);
    assertThat(schema.errors()).hasSize(2).first().isEqualTo("'primary' is a required property");
    assertThat(Json.read(bytes("flocker/error-undecodable.json"), ErrorDescription.class).description())
        .contains("of the\nContent-Type");
  }
}
