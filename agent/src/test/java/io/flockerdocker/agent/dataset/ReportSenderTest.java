package io.flockerdocker.agent.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Reports go one at a time, and only the newest of those asked for meanwhile follows. */
class ReportSenderTest {
  static final ActorTestKit kit = ActorTestKit.create("ReportSenderTest");

  /** The reports sent so far, each answered when the test completes its future. */
  final List<NodeReport> sent = new CopyOnWriteArrayList<>();
  final List<CompletableFuture<Void>> answers = new CopyOnWriteArrayList<>();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  FlockerClient control() {
    return (FlockerClient) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {FlockerClient.class}, (proxy, method, args) -> {
          if (!method.getName().equals("reportOrHeartbeat")) {
            throw new UnsupportedOperationException(method.getName());
          }
          CompletableFuture<Void> answer = new CompletableFuture<>();
          sent.add((NodeReport) args[0]);
          answers.add(answer);
          return answer;
        });
  }

  static NodeReport report(long seq) {
    return new NodeReport("uuid", "127.0.0.1", 1, "directory", 1, seq, List.of());
  }

  void awaitSent(int n) {
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
      assertThat(sent).hasSize(n);
      return null;
    });
  }

  @Test
  void aBurstCostsOneRequestInFlightAndTheNewestFollows() {
    ActorRef<ReportSender.Command> sender = kit.spawn(ReportSender.create(control(), "node1"));
    for (long seq = 1; seq <= 5; seq++) {
      sender.tell(new ReportSender.Send(report(seq)));
    }
    awaitSent(1);
    assertThat(sent).extracting(NodeReport::seq).containsExactly(1L);
    // the five Sends are in the sender's mailbox before the first answer's message can be: by
    // then it has seen all of them, so what it sends next shows whether it queued or replaced

    answers.get(0).complete(null);
    awaitSent(2);
    assertThat(sent).extracting(NodeReport::seq).containsExactly(1L, 5L);

    // a failed report does not stop the next one
    answers.get(1).completeExceptionally(new IllegalStateException("refused"));
    sender.tell(new ReportSender.Send(report(6)));
    awaitSent(3);
    assertThat(sent.get(2).seq()).isEqualTo(6L);
  }
}
