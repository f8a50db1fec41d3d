package io.flockerdocker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flockerdocker.protocol.docker.ActivateResponse;
import io.flockerdocker.protocol.docker.CreateRequest;
import io.flockerdocker.protocol.docker.MountRequest;
import io.flockerdocker.protocol.docker.NameRequest;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.Lease;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Json.read accepts what the peers really send plus fields it does not know, and turns everything
 * else into a {@link ProtocolException} whose message names the field, with no Jackson text.
 */
class JsonStrictnessTest {
  static final String DS = "886ed03a-5606-453a-94a9-a1cbaf35164c";
  static final String NODE = "0b6a1f3e-2c4d-4e5f-8a9b-1c2d3e4f5a6b";

  @Test
  void unknownTopLevelFieldsAreTolerated() throws ProtocolException {
    assertThat(Json.read("{\"Name\":\"demo\",\"Opts\":null,\"Future\":[1,{\"a\":true}]}", CreateRequest.class))
        .isEqualTo(new CreateRequest("demo", Map.of()));
    assertThat(Json.read("{\"dataset_id\":\"" + DS + "\",\"primary\":\"" + NODE
            + "\",\"deleted\":false,\"metadata\":{},\"new_field\":1}", DatasetConfiguration.class).datasetId())
        .isEqualTo(DS);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"Name\":5}                                  | Name",
        "{\"Name\":true}                               | Name",
        "{\"Name\":{\"x\":1}}                          | Name",
        "{\"Name\":[\"demo\"]}                         | Name",
        "{\"Name\":\"demo\",\"Opts\":\"x\"}            | Opts",
        "{\"Name\":\"demo\",\"Opts\":[]}               | Opts",
        "{\"Name\":\"demo\",\"Opts\":{\"size\":10}}    | Opts.size",
        "{\"Name\":\"demo\",\"Opts\":{\"size\":true}}  | Opts.size",
        "{\"Name\":\"demo\",\"Opts\":{\"size\":{}}}    | Opts.size",
        "{\"Name\":\"demo\",\"Opts\":{\"size\":null}}  | Opts.size",
      })
  void wrongTypesInDockerRequestsNameTheField(String body, String field) {
    assertRejected(body, CreateRequest.class, field);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{'dataset_id':'DS','primary':'N','deleted':false,'metadata':{},'maximum_size':'big'} | maximum_size",
        "{'dataset_id':'DS','primary':'N','deleted':false,'metadata':{},'maximum_size':1.5}   | maximum_size",
        "{'dataset_id':'DS','primary':'N','deleted':'yes','metadata':{}}                      | deleted",
        "{'dataset_id':'DS','primary':'N','deleted':0,'metadata':{}}                          | deleted",
        "{'dataset_id':'DS','primary':'N','deleted':null,'metadata':{}}                       | deleted",
        "{'dataset_id':'DS','primary':'N','deleted':false,'metadata':{'name':1}}              | metadata.name",
        "{'dataset_id':7,'primary':'N','deleted':false,'metadata':{}}                         | dataset_id",
      })
  void wrongTypesInFlockerBodiesNameTheField(String body, String field) {
    assertRejected(flocker(body), DatasetConfiguration.class, field);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{'dataset_id':'DS','node_uuid':'N','expires':'60'}",
      "{'dataset_id':'DS','node_uuid':'N','expires':true}"})
  void leaseExpiresMustBeANumberOrNull(String body) {
    assertRejected(flocker(body), Lease.class, "expires");
  }

  @Test
  void missingRequiredFieldsAreNamed() {
    assertRejected("{\"Name\":\"demo\"}\n", MountRequest.class, "ID");
    assertRejected("{\"ID\":\"abc\"}", MountRequest.class, "Name");
    assertRejected("{}\n", NameRequest.class, "Name");
    assertRejected(flocker("{'metadata':{}}"), CreateDatasetRequest.class, "primary");
    // Flocker's schema requires expires (null is a value, absence is not)
    assertRejected(flocker("{'dataset_id':'DS','node_uuid':'N'}"), Lease.class, "expires");
    assertThatThrownBy(() -> Json.read("{\"ID\":\"abc\"}", MountRequest.class))
        .hasMessageStartingWith("missing required field");
  }

  @Test
  void explicitNullForARequiredNameIsRejected() {
    assertRejected("{\"Name\":null}", NameRequest.class, "Name");
    assertRejected("{\"Name\":\"demo\",\"ID\":null}", MountRequest.class, "ID");
    assertRejected("{\"Name\":null,\"Opts\":{}}", CreateRequest.class, "Name");
    assertRejected(flocker("{'dataset_id':'DS','node_uuid':null,'expires':null}"), Lease.class, "node_uuid");
    assertRejected(flocker("{'primary':null}"), CreateDatasetRequest.class, "primary");
    assertRejected(flocker("{'primary':'N','metadata':{'name':null}}"), CreateDatasetRequest.class, "metadata.name");
  }

  /** A host holds every dataset of the cluster: each must not carry its own node UUID copies. */
  @Test
  void nodeUuidsReadFromBodiesAreOneObjectPerNode() throws ProtocolException {
    List<DatasetConfiguration> two = Json.readList(flocker("[{'dataset_id':'a','primary':'"
        + NODE + "','deleted':false,'metadata':{'flocker-docker:origin':'" + NODE + "'}},{'dataset_id':'b',"
        + "'primary':'" + NODE + "','deleted':false,'metadata':{'flocker-docker:origin':'" + NODE + "'}}]")
        .getBytes(), DatasetConfiguration.class);
    assertThat(two.get(0).primary()).isSameAs(two.get(1).primary());
    assertThat(two.get(0).origin()).isSameAs(two.get(1).primary());
    Lease l1 = Json.read(flocker("{'dataset_id':'a','node_uuid':'" + NODE + "','expires':null}"),
        Lease.class);
    Lease l2 = Json.read(flocker("{'dataset_id':'b','node_uuid':'" + NODE + "','expires':null}"),
        Lease.class);
    assertThat(l1.nodeUuid()).isSameAs(l2.nodeUuid()).isSameAs(two.get(0).primary());
  }

  @Test
  void listBodiesRejectNullElementsAndNameTheBadIndex() {
    assertThatThrownBy(() -> Json.readList(flocker("[{'host':'10.0.0.3','uuid':'N'},null]").getBytes(),
            io.flockerdocker.protocol.flocker.Node.class))
        .isInstanceOf(ProtocolException.class).hasMessage("element [1] must not be null");
    assertThatThrownBy(() -> Json.readList(flocker("[{'host':'10.0.0.3','uuid':5}]").getBytes(),
            io.flockerdocker.protocol.flocker.Node.class))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("element [0]: field 'uuid' has the wrong type: expected a string");
    assertThatThrownBy(() -> Json.readList(flocker("[{'host':'10.0.0.3','uuid':'N'},{'host':'x'").getBytes(),
            io.flockerdocker.protocol.flocker.Node.class))
        .isInstanceOf(ProtocolException.class).hasMessageStartingWith("element [1]: malformed JSON");
    assertThatThrownBy(() -> Json.readList(flocker("[{'host':'10.0.0.3','uuid':'N'}").getBytes(),
            io.flockerdocker.protocol.flocker.Node.class))
        .isInstanceOf(ProtocolException.class).hasMessageStartingWith("malformed JSON");
    assertThatThrownBy(() -> Json.readList(flocker("[{'host':'10.0.0.3','uuid':'N'}] []").getBytes(),
            io.flockerdocker.protocol.flocker.Node.class))
        .isInstanceOf(ProtocolException.class).hasMessageStartingWith("malformed JSON");
  }

  @Test
  void nullElementsInListsAreRejectedNotCrashed() {
    assertThatThrownBy(() -> Json.read("{\"Implements\":[null]}", ActivateResponse.class))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> Json.read("{}", ActivateResponse.class))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("Implements");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n", "\r\n\t "})
  void emptyBodyIsRejected(String body) {
    assertThatThrownBy(() -> Json.read(body, NameRequest.class))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("empty body: expected a JSON object");
  }

  @Test
  void nullBodiesAreRejected() {
    assertThatThrownBy(() -> Json.read((byte[]) null, NameRequest.class))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("empty body");
    assertThatThrownBy(() -> Json.read("null\n", NameRequest.class))
        .isInstanceOf(ProtocolException.class).hasMessage("expected a JSON object, got null");
    assertThatThrownBy(() -> Json.readList("null".getBytes(), Lease.class))
        .isInstanceOf(ProtocolException.class).hasMessage("expected a JSON array, got null");
  }

  @Test
  void wrongShapeAtTheTopIsRejected() {
    assertRejectedWith("[]", NameRequest.class, "expected a JSON object for NameRequest");
    assertRejectedWith("[{\"Name\":\"demo\"}]", NameRequest.class, "expected a JSON object for NameRequest");
    assertRejectedWith("\"demo\"", NameRequest.class, "expected a JSON object for NameRequest");
    assertRejectedWith("5", NameRequest.class, "expected a JSON object for NameRequest");
    assertThatThrownBy(() -> Json.readList("{}".getBytes(), Lease.class))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("expected a JSON array for a list of Lease");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"Name\":", "{\"Name\":\"demo\"", "{Name:\"demo\"}", "{'Name':'demo'}",
      "{\"Name\":\"demo\"} x", "{\"Name\":\"demo\"}{}", "{\"Name\":\"demo\"}]", "nul", "\u00ff\u00fe",
      "{\"Name\":\"demo\",}", "{\"Name\":\"de\nmo\"}"})
  void malformedJsonIsAProtocolExceptionWithAHumanMessage(String body) {
    assertThatThrownBy(() -> Json.read(body, NameRequest.class))
        .isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertHuman(e.getMessage()));
  }

  @Test
  void numbersOutOfRangeNameTheField() {
    assertRejected(flocker("{'dataset_id':'DS','primary':'N','deleted':false,'metadata':{},"
        + "'maximum_size':123456789012345678901234567890}"), DatasetConfiguration.class, "maximum_size");
  }

  private static String flocker(String singleQuoted) {
    return singleQuoted.replace('\'', '"').replace("\"DS\"", "\"" + DS + "\"").replace("\"N\"", "\"" + NODE + "\"");
  }

  private static void assertRejected(String body, Class<?> type, String field) {
    assertThatThrownBy(() -> Json.read(body, type))
        .as("body %s", body)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("'" + field + "'")
        .satisfies(e -> assertHuman(e.getMessage()));
  }

  private static void assertRejectedWith(String body, Class<?> type, String message) {
    assertThatThrownBy(() -> Json.read(body, type))
        .as("body %s", body).isInstanceOf(ProtocolException.class).hasMessage(message);
  }

  /** One line, and none of Jackson's class names or source excerpts. */
  static void assertHuman(String message) {
    assertThat(message).isNotBlank().doesNotContain("\n").doesNotContain("com.fasterxml")
        .doesNotContain("java.").doesNotContain("Source: ").doesNotContain("io.flockerdocker");
  }
}
