package io.flockerdocker.agent.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.volume.VolumeError;
import io.flockerdocker.agent.volume.VolumeFailure;
import io.flockerdocker.agent.volume.VolumeFailure.HeldElsewhere;
import io.flockerdocker.agent.volume.VolumeFailure.HeldElsewhere.Asked;
import io.flockerdocker.agent.volume.VolumeFailure.HeldElsewhere.Holder;
import io.flockerdocker.agent.volume.VolumeFailure.TimedOut;
import io.flockerdocker.agent.volume.VolumeFailure.TimedOut.Waiting;
import io.flockerdocker.protocol.ProtocolException;
import io.flockerdocker.protocol.docker.ErrResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;

/**
 * The one Err mapper: every failure type renders the exact sentence scripts and the Docker ITs
 * match on, every exception maps to its type, and a reply carries its failure for /metrics.
 */
class PluginErrorsTest {
  private final PluginErrors errors = new PluginErrors();

  @Test
  void everyFailureTypeRendersItsErr() {
    Map<VolumeFailure, String> texts = new LinkedHashMap<>();
    texts.put(new VolumeFailure.ControlUnreachable("demo", "connection refused", null),
        "control service unreachable, volume demo unchanged: connection refused");
    texts.put(new VolumeFailure.ControlUnreachable("demo", "connection refused", "node2"),
        "volume demo was mounted on node2 at the last look, and cannot be checked or moved now: "
            + "control service unreachable, volume demo unchanged: connection refused");
    texts.put(new VolumeFailure.ControlRefused("demo", "out of space"),
        "control service refused the change to volume demo: out of space");
    texts.put(held(Holder.USING_IT, null, Asked.MOUNT),
        "volume demo is in use on node2; stop the containers using it there first");
    texts.put(held(Holder.USING_IT, null, Asked.REMOVE),
        "volume demo is in use on node2; it cannot be removed while mounted");
    texts.put(held(Holder.USING_IT, null, Asked.MOUNT_AFTER_WAITING),
        "volume demo is in use on node2; stop the containers using it there first"
            + " (waited for its release until the deadline)");
    texts.put(held(Holder.UNREACHABLE, "2026-12-04T10:00:00Z", Asked.MOUNT),
        "volume demo is mounted on node2, which is unreachable since 2026-12-04T10:00:00Z; if"
            + " node2 is down for good, run: flocker-docker release demo --from node2");
    texts.put(held(Holder.UNREACHABLE, null, Asked.REMOVE),
        "volume demo is mounted on node2, which is unreachable; if node2 is down for good, run:"
            + " flocker-docker release demo --from node2");
    texts.put(new HeldElsewhere("demo", "node2", Holder.NOT_ANSWERING, null, 5, Asked.MOUNT),
        "volume demo is mounted on node2, which did not answer within 5s; retry, or if node2 is"
            + " down for good, run: flocker-docker release demo --from node2");
    texts.put(new VolumeFailure.DataUnreachable("demo", "node3", "2026-12-04T10:00:00Z"),
        "volume demo has its data on node3, which is unreachable since 2026-12-04T10:00:00Z; it"
            + " can move here once node3 is back");
    texts.put(new VolumeFailure.Minority("demo", null), "this node cannot reach a majority of"
        + " the cluster; refusing to change volume demo until the partition heals");
    texts.put(new VolumeFailure.Minority("demo", "node1"), "node node1 cannot reach a majority"
        + " of the cluster; refusing to change volume demo until the partition heals");
    texts.put(new TimedOut("demo", Waiting.A_NODE, null, 0),
        "a node did not answer in time while handling volume demo; retry");
    texts.put(new TimedOut("demo", Waiting.QUEUE, null, 0),
        "request for volume demo expired while queued behind others");
    texts.put(new TimedOut("demo", Waiting.MOVE, "node2", 0),
        "timed out before volume demo could be moved to node2");
    texts.put(new TimedOut("demo", Waiting.ARRIVAL, "node2", 110_000),
        "timed out after 110s waiting for volume demo to arrive on node2; the move goes on in"
            + " the background: retry later");
    texts.put(new TimedOut("demo", Waiting.ANSWER, null, 7_000),
        "timed out after 7s waiting for volume demo");
    texts.put(new TimedOut("demo", Waiting.ANSWER, null, 2_500),
        "timed out after 2.5s waiting for volume demo");
    texts.put(new TimedOut(null, Waiting.REQUEST, null, 0), "timed out reading the request");
    texts.put(new VolumeFailure.Busy("demo"),
        "too many requests queued for volume demo; retry later");
    texts.put(new VolumeFailure.Rejected("no such volume: demo"), "no such volume: demo");
    texts.put(new VolumeFailure.BadRequest("missing mount ID"), "missing mount ID");
    texts.put(new VolumeFailure.Internal(),
        "internal error in the flocker plugin; see the agent log");

    texts.forEach((failure, err) -> {
      assertThat(failure.message()).as("%s", failure).isEqualTo(err);
      HttpResponse reply = errors.failed("VolumeDriver.Mount", "demo", Duration.ZERO,
          new CompletionException(new VolumeError(failure)));
      assertThat(PluginErrors.failureOf(reply)).contains(failure);
    });
  }

  @Test
  void everyExceptionMapsToItsFailureType() {
    assertThat(failureOf(new VolumeError(new VolumeFailure.Busy("demo"))))
        .isEqualTo(new VolumeFailure.Busy("demo"));
    assertThat(failureOf(new StatusReply.ErrorMessage("cannot record the mount: disk full")))
        .isEqualTo(new VolumeFailure.Rejected("cannot record the mount: disk full"));
    assertThat(failureOf(new PluginErrors.TooLarge(2 << 20, 1 << 16)))
        .isEqualTo(new VolumeFailure.BadRequest("request too large"));
    assertThat(failureOf(new TimeoutException("ask")))
        .isEqualTo(new TimedOut("demo", Waiting.ANSWER, null, 3_000));
    assertThat(PluginErrors.failureOf(new TimeoutException("body"), null, Duration.ZERO))
        .isEqualTo(new TimedOut(null, Waiting.REQUEST, null, 0));
    assertThat(failureOf(new ProtocolException("empty body")))
        .isEqualTo(new VolumeFailure.BadRequest("invalid request: empty body"));
    assertThat(failureOf(new IllegalArgumentException("unknown option(s) sise")))
        .isEqualTo(new VolumeFailure.BadRequest("unknown option(s) sise"));
    assertThat(failureOf(new IllegalStateException("secret detail")))
        .isEqualTo(new VolumeFailure.Internal());
  }

  @Test
  void aSuccessCarriesNoFailure() {
    assertThat(PluginErrors.failureOf(errors.ok(ErrResponse.ok()))).isEmpty();
  }

  private static VolumeFailure failureOf(Throwable t) {
    return PluginErrors.failureOf(t, "demo", Duration.ofSeconds(3));
  }

  private static HeldElsewhere held(Holder holder, String since, Asked asked) {
    return new HeldElsewhere("demo", "node2", holder, since, 0, asked);
  }
}
