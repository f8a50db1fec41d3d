package io.flockerdocker.agent.plugin;

import static io.flockerdocker.agent.plugin.PluginFixture.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.metrics.AgentMetrics;
import io.flockerdocker.agent.mounts.MountTable;
import io.flockerdocker.agent.volume.VolumeCommands;
import io.flockerdocker.agent.volume.VolumeFailure;
import io.flockerdocker.agent.volume.VolumeFailure.HeldElsewhere;
import io.flockerdocker.agent.volume.VolumeOptions;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The routes against a TestProbe entity, called in-process (no socket, no cluster). */
@ExtendWith(LogCapturingExtension.class)
class PluginRoutesTest {
  static final ActorTestKit testKit = ActorTestKit.create("PluginRoutesTest", PluginFixture.config());
  static final String MOUNT_ID = "bcb0e9c5".repeat(8);

  PluginFixture fx;
  Function<HttpRequest, CompletionStage<HttpResponse>> http;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    fx = new PluginFixture(testKit);
    http = fx.routes.route().handler(testKit.system());
  }

  @Test
  void activateAndCapabilitiesAnswerWithoutAnyBackend() throws Exception {
    Reply activate = post("/Plugin.Activate", "");
    assertThat(activate.status).isEqualTo(200);
    assertThat(activate.contentType).isEqualTo("application/vnd.docker.plugins.v1.2+json");
    assertThat(activate.body).isEqualTo("{\"Implements\":[\"VolumeDriver\"]}");
    assertThat(post("/VolumeDriver.Capabilities", "{}\n").body)
        .isEqualTo("{\"Capabilities\":{\"Scope\":\"global\"}}");
    fx.entity.expectNoMessage();
  }

  @Test
  void getListAndPathAnswerFromTheView() throws Exception {
    fx.view.put("demo", "7a1f", "/flocker/7a1f").put("other", "8b2e", "");
    JsonNode get = post("/VolumeDriver.Get", "{\"Name\":\"demo\"}\n").json();
    assertThat(get.at("/Volume/Name").asText()).isEqualTo("demo");
    assertThat(get.at("/Volume/Mountpoint").asText()).isEqualTo("/flocker/7a1f");
    assertThat(get.at("/Volume/Status/datasetId").asText()).isEqualTo("7a1f");
    assertThat(get.at("/Err").asText()).isEmpty();
    JsonNode missing = post("/VolumeDriver.Get", "{\"Name\":\"nope\"}\n").json();
    assertThat(missing.has("Volume")).isFalse();
    assertThat(missing.at("/Err").asText()).isEqualTo("no such volume: nope");
    JsonNode list = post("/VolumeDriver.List", "{}\n").json();
    assertThat(list.at("/Volumes/0/Name").asText()).isEqualTo("demo");
    assertThat(list.at("/Volumes/1/Name").asText()).isEqualTo("other");
    assertThat(post("/VolumeDriver.Path", "{\"Name\":\"demo\"}\n").body)
        .isEqualTo("{\"Mountpoint\":\"/flocker/7a1f\",\"Err\":\"\"}");
    assertThat(post("/VolumeDriver.Path", "{\"Name\":\"other\"}\n").body)
        .isEqualTo("{\"Mountpoint\":\"\",\"Err\":\"\"}");
    fx.entity.expectNoMessage();
    assertThat(fx.askedFor).isEmpty();
  }

  @Test
  void createAsksTheEntityAndTellsTheView() throws Exception {
    CompletionStage<HttpResponse> reply =
        send("/VolumeDriver.Create", "{\"Name\":\"demo\",\"Opts\":{\"size\":\"1G\"}}\n");
    VolumeCommands.Create create = fx.entity.expectMessageClass(VolumeCommands.Create.class);
    assertThat(fx.askedFor).containsExactly("demo");
    assertThat(create.node()).isEqualTo(fx.self);
    assertThat(create.options().sizeBytes()).contains(1024L * 1024 * 1024);
    assertThat(create.deadline()).isGreaterThan(System.currentTimeMillis());
    create.replyTo().tell(new VolumeCommands.Created(
        new DatasetConfiguration("7a1f", fx.settings.nodeUuid(), false,
            Map.of("name", "demo"), null)));
    assertThat(read(reply).body).isEqualTo("{\"Err\":\"\"}");
    assertThat(fx.view.get("demo")).isPresent();
  }

  @Test
  void createWithNullOrEmptyOptsSendsNoOptions() throws Exception {
    for (String opts : new String[] {"null", "{}"}) {
      CompletionStage<HttpResponse> reply =
          send("/VolumeDriver.Create", "{\"Name\":\"demo\",\"Opts\":" + opts + "}\n");
      VolumeCommands.Create create = fx.entity.expectMessageClass(VolumeCommands.Create.class);
      assertThat(create.options()).isEqualTo(VolumeOptions.none());
      create.replyTo().tell(refused(new VolumeFailure.ControlRefused("demo", "out of space")));
      assertThat(read(reply).body).isEqualTo(
          "{\"Err\":\"control service refused the change to volume demo: out of space\"}");
    }
    assertThat(fx.view.learned).hasValue(0);
  }

  @Test
  void mountSendsNameIdAndNodeAndRepliesTheMountpoint() throws Exception {
    fx.view.put("demo", "7a1f", "");
    CompletionStage<HttpResponse> reply =
        send("/VolumeDriver.Mount", "{\"Name\":\"demo\",\"ID\":\"" + MOUNT_ID + "\"}\n");
    VolumeCommands.Mount mount = fx.entity.expectMessageClass(VolumeCommands.Mount.class);
    assertThat(fx.askedFor).containsExactly("demo");
    assertThat(mount.mountId()).isEqualTo(MOUNT_ID);
    assertThat(mount.node()).isEqualTo(fx.self);
    mount.replyTo().tell(PluginFixture.granted());
    MountTable.Record record = fx.recordGrant();
    assertThat(record.requestId()).isEqualTo(mount.requestId());
    assertThat(record.mountId()).isEqualTo(MOUNT_ID);
    assertThat(record.takeOver()).isTrue();
    assertThat(read(reply).body).isEqualTo("{\"Mountpoint\":\"/flocker/7a1f\",\"Err\":\"\"}");
    assertThat(fx.view.path("demo")).as("read-your-writes on this node").isEqualTo("/flocker/7a1f");
  }

  @Test
  void aMountFailingOnAnUnreachableControlServiceNamesTheLastKnownHolder() throws Exception {
    var unreachable = new VolumeFailure.ControlUnreachable("demo", "connection refused", null);
    String down = "control service unreachable, volume demo unchanged: connection refused";
    fx.view.putMountedOn("demo", "7a1f", "node2");
    CompletionStage<HttpResponse> reply =
        send("/VolumeDriver.Mount", "{\"Name\":\"demo\",\"ID\":\"" + MOUNT_ID + "\"}");
    fx.entity.expectMessageClass(VolumeCommands.Mount.class).replyTo()
        .tell(refused(unreachable));
    assertThat(read(reply).json().at("/Err").asText()).isEqualTo(
        "volume demo was mounted on node2 at the last look, and cannot be checked or moved now: "
            + down);

    fx.view.putMountedOn("demo", "7a1f", fx.self.name()); // held here: nothing to add
    reply = send("/VolumeDriver.Mount", "{\"Name\":\"demo\",\"ID\":\"" + MOUNT_ID + "\"}");
    fx.entity.expectMessageClass(VolumeCommands.Mount.class).replyTo()
        .tell(refused(unreachable));
    assertThat(read(reply).json().at("/Err").asText()).isEqualTo(down);
  }

  @Test
  void mountErrorIsShownVerbatim() throws Exception {
    CompletionStage<HttpResponse> reply =
        send("/VolumeDriver.Mount", "{\"Name\":\"demo\",\"ID\":\"" + MOUNT_ID + "\"}\n");
    fx.entity.expectMessageClass(VolumeCommands.Mount.class).replyTo()
        .tell(refused(new HeldElsewhere("demo", "node2", HeldElsewhere.Holder.UNREACHABLE,
            "2026-12-04T10:00:00Z", 0, HeldElsewhere.Asked.MOUNT)));
    Reply r = read(reply);
    assertThat(r.status).isEqualTo(200);
    assertThat(r.json().at("/Err").asText()).isEqualTo("volume demo is mounted on node2, which"
        + " is unreachable since 2026-12-04T10:00:00Z; if node2 is down for good, run:"
        + " flocker-docker release demo --from node2");
  }

  @Test
  void aMountReservesTheVolumeHereBeforeItAsksAndDropsTheReservationWhenRefused()
      throws Exception {
    CompletionStage<HttpResponse> reply =
        send("/VolumeDriver.Mount", "{\"Name\":\"demo\",\"ID\":\"" + MOUNT_ID + "\"}\n");
    MountTable.Reserve reserve = fx.mountTable.expectMessageClass(MountTable.Reserve.class);
    VolumeCommands.Mount mount = fx.entity.expectMessageClass(VolumeCommands.Mount.class);
    assertThat(reserve.requestId()).isEqualTo(mount.requestId());
    assertThat(reserve.volume()).isEqualTo("demo");
    assertThat(mount.seq()).as("the reservation's push seq").isEqualTo(
        PluginFixture.RESERVATION_SEQ);
    mount.replyTo().tell(refused(inUse(HeldElsewhere.Asked.MOUNT)));
    assertThat(read(reply).json().at("/Err").asText())
        .isEqualTo("volume demo is in use on node2; stop the containers using it there first");
    MountTable.Unreserve drop = fx.mountTable.expectMessageClass(MountTable.Unreserve.class);
    assertThat(drop.requestId()).isEqualTo(mount.requestId());
    fx.entity.expectNoMessage(java.time.Duration.ofMillis(200));
  }

  @Test
  void aGrantThatCannotBeRecordedFailsTheMountAndDropsItsReservation() throws Exception {
    CompletionStage<HttpResponse> reply =
        send("/VolumeDriver.Mount", "{\"Name\":\"demo\",\"ID\":\"" + MOUNT_ID + "\"}\n");
    fx.mountTable.expectMessageClass(MountTable.Reserve.class);
    VolumeCommands.Mount mount = fx.entity.expectMessageClass(VolumeCommands.Mount.class);
    mount.replyTo().tell(PluginFixture.granted());
    fx.mountTable.expectMessageClass(MountTable.Record.class).replyTo()
        .tell(StatusReply.error("cannot record the mount on this node: disk full"));
    assertThat(read(reply).json().at("/Err").asText())
        .isEqualTo("cannot record the mount on this node: disk full");
    assertThat(fx.mountTable.expectMessageClass(MountTable.Unreserve.class).requestId())
        .isEqualTo(mount.requestId()); // the table pushes the count without it to the entity
    fx.entity.expectNoMessage(java.time.Duration.ofMillis(200));
    assertThat(fx.view.path("demo")).as("nothing learned").isEmpty();
  }

  @Test
  void unmountGoesToTheTableAndRemoveToTheEntity() throws Exception {
    fx.view.put("demo", "7a1f", "");
    CompletionStage<HttpResponse> unmount =
        send("/VolumeDriver.Unmount", "{\"Name\":\"demo\",\"ID\":\"" + MOUNT_ID + "\"}\n");
    MountTable.Drop drop = fx.mountTable.expectMessageClass(MountTable.Drop.class);
    assertThat(drop.volume()).isEqualTo("demo");
    assertThat(drop.mountId()).isEqualTo(MOUNT_ID);
    drop.replyTo().tell(StatusReply.success(new MountTable.Count("demo", 0, true)));
    assertThat(read(unmount).body).isEqualTo("{\"Err\":\"\"}");
    // the entity hears of it from the table's push, not from the route
    fx.entity.expectNoMessage(java.time.Duration.ofMillis(200));

    CompletionStage<HttpResponse> remove = send("/VolumeDriver.Remove", "{\"Name\":\"demo\"}\n");
    VolumeCommands.Remove rm = fx.entity.expectMessageClass(VolumeCommands.Remove.class);
    assertThat(rm.node()).isEqualTo(fx.self);
    rm.replyTo().tell(VolumeCommands.Removed.INSTANCE);
    assertThat(read(remove).body).isEqualTo("{\"Err\":\"\"}");
    assertThat(fx.askedFor).containsExactly("demo");
    assertThat(fx.view.get("demo")).isEqualTo(Optional.empty());
  }

  @Test
  void unmountIsAnsweredWithoutTheEntityWhileMountsRemainOrTheIdIsUnknown() throws Exception {
    for (MountTable.Count left : List.of(new MountTable.Count("demo", 1, true),
        new MountTable.Count("demo", 0, false))) {
      CompletionStage<HttpResponse> unmount =
          send("/VolumeDriver.Unmount", "{\"Name\":\"demo\",\"ID\":\"" + MOUNT_ID + "\"}");
      fx.mountTable.expectMessageClass(MountTable.Drop.class).replyTo()
          .tell(StatusReply.success(left));
      assertThat(read(unmount).body).isEqualTo("{\"Err\":\"\"}");
    }
    fx.entity.expectNoMessage(java.time.Duration.ofMillis(200));
    assertThat(fx.askedFor).isEmpty();
  }

  @Test
  void removeRefusedLeavesTheViewAlone() throws Exception {
    fx.view.put("demo", "7a1f", "");
    CompletionStage<HttpResponse> remove = send("/VolumeDriver.Remove", "{\"Name\":\"demo\"}\n");
    fx.entity.expectMessageClass(VolumeCommands.Remove.class).replyTo()
        .tell(refused(inUse(HeldElsewhere.Asked.REMOVE)));
    assertThat(read(remove).json().at("/Err").asText())
        .isEqualTo("volume demo is in use on node2; it cannot be removed while mounted");
    assertThat(fx.view.get("demo")).isPresent();
  }

  @Test
  void aResendCarriesItsRequestsIdAndANewRequestGetsANewOne() throws Exception {
    CompletionStage<HttpResponse> reply =
        send("/VolumeDriver.Mount", "{\"Name\":\"demo\",\"ID\":\"" + MOUNT_ID + "\"}\n");
    VolumeCommands.Mount first = fx.entity.expectMessageClass(VolumeCommands.Mount.class);
    // unanswered: the route sends the same request again
    VolumeCommands.Mount resend = fx.entity.expectMessageClass(VolumeCommands.Mount.class,
        java.time.Duration.ofSeconds(10));
    assertThat(resend.requestId()).isEqualTo(first.requestId());
    assertThat(resend.replyTo()).isNotEqualTo(first.replyTo());
    resend.replyTo().tell(PluginFixture.granted());
    fx.recordGrant();
    assertThat(read(reply).json().at("/Err").asText()).isEmpty();

    reply = send("/VolumeDriver.Mount", "{\"Name\":\"demo\",\"ID\":\"" + MOUNT_ID + "\"}\n");
    VolumeCommands.Mount next = fx.entity.expectMessageClass(VolumeCommands.Mount.class);
    assertThat(next.requestId()).isNotEqualTo(first.requestId());
    next.replyTo().tell(PluginFixture.granted());
    fx.recordGrant();
    assertThat(read(reply).json().at("/Err").asText()).isEmpty();
  }

  @Test
  void anEntityThatNeverAnswersGivesATimeoutErr() throws Exception {
    CompletionStage<HttpResponse> reply =
        send("/VolumeDriver.Remove", "{\"Name\":\"demo\"}\n");
    fx.entity.expectMessageClass(VolumeCommands.Remove.class); // and never answer
    String wait = (fx.settings.shortTimeout().plus(EntityAsks.ASK_SLACK).toMillis() / 1000.0)
        + "s";
    assertThat(read(reply).json().at("/Err").asText())
        .isEqualTo("timed out after " + wait + " waiting for volume demo");
  }

  @Test
  void aMountTableThatNeverAnswersGivesAnUnmountTimeoutErr() throws Exception {
    CompletionStage<HttpResponse> reply =
        send("/VolumeDriver.Unmount", "{\"Name\":\"demo\",\"ID\":\"" + MOUNT_ID + "\"}");
    fx.mountTable.expectMessageClass(MountTable.Drop.class); // and never answer
    String wait = (fx.settings.shortTimeout().toMillis() / 1000.0) + "s";
    assertThat(read(reply).json().at("/Err").asText())
        .isEqualTo("timed out after " + wait + " waiting for volume demo");
  }

  @Test
  void invalidRequestsNeverReachAnEntity() throws Exception {
    String[][] cases = {
      {"/VolumeDriver.Create", "{\"Name\":\"demo\",\"Opts\":{\"sise\":\"1G\"}}",
          "unknown option(s) sise: valid options are size, profile"},
      {"/VolumeDriver.Create", "{\"Name\":\"a/b\"}", "invalid volume name 'a/b'"},
      {"/VolumeDriver.Mount", "{\"Name\":\"..\",\"ID\":\"x\"}", "invalid volume name '..'"},
      {"/VolumeDriver.Mount", "{\"Name\":\"demo\"}", "invalid request: missing required field"},
      {"/VolumeDriver.Mount", "{\"Name\":\"demo\",\"ID\":\"\"}", "missing mount ID"},
      {"/VolumeDriver.Get", "{\"Name\":5}", "invalid request: field 'Name' has the wrong type"},
      {"/VolumeDriver.Get", "", "invalid request: empty body"},
      {"/VolumeDriver.Remove", "{\"Name\":", "invalid request: malformed JSON"},
      {"/VolumeDriver.Remove", "{}", "invalid request: missing required field 'Name'"},
      {"/VolumeDriver.Get", "{\"Name\":\"" + "x".repeat(300) + "\"}",
          "invalid volume name: longer than 255"},
    };
    for (String[] c : cases) {
      Reply r = post(c[0], c[1]);
      assertThat(r.status).as(c[1]).isEqualTo(200);
      assertThat(r.json().at("/Err").asText()).as(c[1]).startsWith(c[2]);
    }
    fx.entity.expectNoMessage();
    assertThat(fx.askedFor).isEmpty();
    assertThat(fx.view.learned).hasValue(0);
  }

  @Test
  void unknownPathsAndMethodsGetJsonErrors() throws Exception {
    Reply unknown = post("/VolumeDriver.Snapshot", "{}");
    assertThat(unknown.status).isEqualTo(404);
    assertThat(unknown.body).isEqualTo("{\"Err\":\"unknown endpoint POST /VolumeDriver.Snapshot\"}");
    Reply get = read(http.apply(HttpRequest.GET("/VolumeDriver.Get")));
    assertThat(get.status).isEqualTo(405);
    assertThat(get.json().at("/Err").asText()).contains("use POST");
  }

  @Test
  void bodiesOverTheLimitAreRefusedUnread() throws Exception {
    Reply r = post("/VolumeDriver.Get", "{\"Name\":\"" + "x".repeat(1 << 20) + "\"}");
    assertThat(r.body).isEqualTo("{\"Err\":\"request too large\"}");
  }

  @Test
  void onlyAControlUnreachableFailureGetsTheLastKnownHolder() throws Exception {
    // the same opening words in another failure are not the control service being unreachable
    String text = "control service unreachable, volume demo unchanged: it says so in a message";
    fx.view.putMountedOn("demo", "7a1f", "node2");
    CompletionStage<HttpResponse> reply =
        send("/VolumeDriver.Mount", "{\"Name\":\"demo\",\"ID\":\"" + MOUNT_ID + "\"}");
    fx.entity.expectMessageClass(VolumeCommands.Mount.class).replyTo()
        .tell(refused(new VolumeFailure.Rejected(text)));
    assertThat(read(reply).json().at("/Err").asText()).isEqualTo(text);
  }

  @Test
  void aMinorityNodeRefusesAtOnceWithTheMinorityErr() throws Exception {
    var routes = new PluginRoutes(testKit.system(), fx.settings, fx.self, fx.view,
        name -> fx.entity.ref(), Clock.systemUTC(), () -> false, null);
    var minority = routes.route().handler(testKit.system());
    Reply r = read(minority.apply(HttpRequest.POST("/VolumeDriver.Remove")
        .withEntity(HttpEntities.create("{\"Name\":\"demo\"}"))));
    assertThat(r.json().at("/Err").asText()).isEqualTo("node " + fx.self.name()
        + " cannot reach a majority of the cluster; refusing to change volume demo until the"
        + " partition heals");
    fx.entity.expectNoMessage(java.time.Duration.ofMillis(200));
  }

  @Test
  void metricsCountTheRepliesThatCarryAFailure() throws Exception {
    AgentMetrics metrics = new AgentMetrics(fx.settings.nodeUuid(), new Nodes(),
        new VolumeCatalog(fx.settings.nodeUuid(), Path.of("/flocker"), new Nodes()));
    var routes = new PluginRoutes(testKit.system(), fx.settings, fx.self, fx.view,
        name -> fx.entity.ref(), Clock.systemUTC(), () -> true, metrics);
    var counted = routes.route().handler(testKit.system());
    String body = "{\"Name\":\"demo\",\"ID\":\"" + MOUNT_ID + "\"}";

    CompletionStage<HttpResponse> granted = counted.apply(HttpRequest.POST("/VolumeDriver.Mount")
        .withEntity(HttpEntities.create(body)));
    fx.entity.expectMessageClass(VolumeCommands.Mount.class).replyTo()
        .tell(PluginFixture.granted());
    fx.recordGrant();
    assertThat(read(granted).json().at("/Err").asText()).isEmpty();
    CompletionStage<HttpResponse> refusedMount = counted.apply(
        HttpRequest.POST("/VolumeDriver.Mount").withEntity(HttpEntities.create(body)));
    fx.entity.expectMessageClass(VolumeCommands.Mount.class).replyTo()
        .tell(refused(inUse(HeldElsewhere.Asked.MOUNT)));
    assertThat(read(refusedMount).json().at("/Err").asText()).contains("in use on node2");
    read(counted.apply(HttpRequest.POST("/VolumeDriver.Get")
        .withEntity(HttpEntities.create("{\"Name\":\"a/b\"}"))));

    assertThat(count(metrics, "flocker_docker_plugin_requests", "VolumeDriver.Mount"))
        .isEqualTo(2.0);
    assertThat(count(metrics, "flocker_docker_plugin_errors", "VolumeDriver.Mount"))
        .isEqualTo(1.0);
    assertThat(count(metrics, "flocker_docker_plugin_errors", "VolumeDriver.Get"))
        .isEqualTo(1.0);
  }

  private static double count(AgentMetrics metrics, String counter, String endpoint) {
    return metrics.registry().scrape().stream()
        .filter(s -> s.getMetadata().getName().equals(counter))
        .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .filter(d -> endpoint.equals(d.getLabels().get("endpoint")))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
  }

  private static HeldElsewhere inUse(HeldElsewhere.Asked asked) {
    return new HeldElsewhere("demo", "node2", HeldElsewhere.Holder.USING_IT, null, 0, asked);
  }

  private CompletionStage<HttpResponse> send(String path, String body) throws Exception {
    // dockerd sends no Content-Type: octet-stream is what Pekko assumes then
    return http.apply(HttpRequest.POST(path)
        .withEntity(HttpEntities.create(body.getBytes(StandardCharsets.UTF_8))));
  }

  private Reply post(String path, String body) throws Exception {
    return read(send(path, body));
  }

  private Reply read(CompletionStage<HttpResponse> stage) throws Exception {
    HttpResponse response = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    String body = response.entity().toStrict(5000, testKit.system()).toCompletableFuture()
        .get(10, TimeUnit.SECONDS).getData().utf8String();
    return new Reply(response.status().intValue(),
        response.entity().getContentType().toString(), body);
  }

  record Reply(int status, String contentType, String body) {
    JsonNode json() throws Exception {
      return Json.mapper().readTree(body);
    }
  }
}
