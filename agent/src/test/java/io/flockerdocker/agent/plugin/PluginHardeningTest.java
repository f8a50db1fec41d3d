package io.flockerdocker.agent.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.flockerdocker.agent.mounts.MountTable;
import io.flockerdocker.agent.volume.VolumeCommands;
import io.flockerdocker.agent.volume.VolumeFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Issue 13: dockerd learns nothing of the agent's internals, and client text forges no logs. */
class PluginHardeningTest {
  static final ActorTestKit testKit =
      ActorTestKit.create("PluginHardeningTest", PluginFixture.config());
  static final String FORGED_ID = "abc\n2026-12-04 ERROR c.e.Evil - forged line\r\tx";

  PluginFixture fx;
  Function<HttpRequest, CompletionStage<HttpResponse>> http;
  final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  final Logger routesLog = (Logger) LoggerFactory.getLogger(PluginRoutes.class);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    fx = new PluginFixture(testKit);
    http = fx.routes.route().handler(testKit.system());
    logged.start();
    routesLog.addAppender(logged);
  }

  @AfterEach
  void tearDown() {
    routesLog.detachAppender(logged);
  }

  @Test
  void anUnexpectedExceptionInARouteAnswersTheGenericErr() throws Exception {
    fx.view.failGets = new IllegalStateException("secret detail at /var/lib/x");
    String body = post("/VolumeDriver.Get", "{\"Name\":\"demo\"}");
    assertThat(body).isEqualTo(
        "{\"Err\":\"internal error in the flocker plugin; see the agent log\"}");
    assertThat(PluginErrors.failureOf(new NullPointerException("x"), "demo", Duration.ZERO))
        .isEqualTo(new VolumeFailure.Internal());
  }

  @Test
  void aNewlineInAMountIdDoesNotMakeASecondLogLine() throws Exception {
    String json = "{\"Name\":\"demo\",\"ID\":\"abc\\n2026-12-04 ERROR c.e.Evil - forged line"
        + "\\r\\tx\"}";
    CompletionStage<HttpResponse> mount = send("/VolumeDriver.Mount", json);
    VolumeCommands.Mount m = fx.entity.expectMessageClass(VolumeCommands.Mount.class);
    assertThat(m.mountId()).isEqualTo(FORGED_ID);
    m.replyTo().tell(PluginFixture.granted());
    fx.recordGrant();
    assertThat(read(mount)).contains("/flocker/7a1f");

    CompletionStage<HttpResponse> unmount = send("/VolumeDriver.Unmount", json);
    MountTable.Drop drop = fx.mountTable.expectMessageClass(MountTable.Drop.class);
    drop.replyTo().tell(StatusReply.success(new MountTable.Count("demo", 0, false)));
    read(unmount);

    assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
        .filteredOn(line -> line.contains("abc"))
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).doesNotContain("\n").doesNotContain("\r")
            .contains("abc\\n2026-12-04 ERROR c.e.Evil - forged line\\r\\tx"));
  }

  private CompletionStage<HttpResponse> send(String path, String body) throws Exception {
    return http.apply(HttpRequest.POST(path)
        .withEntity(HttpEntities.create(body.getBytes(StandardCharsets.UTF_8))));
  }

  private String post(String path, String body) throws Exception {
    return read(send(path, body));
  }

  private String read(CompletionStage<HttpResponse> stage) throws Exception {
    HttpResponse response = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    return response.entity().toStrict(5000, testKit.system()).toCompletableFuture()
        .get(10, TimeUnit.SECONDS).getData().utf8String();
  }
}
