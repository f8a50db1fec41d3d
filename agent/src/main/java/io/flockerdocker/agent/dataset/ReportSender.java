package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.flocker.FlockerException;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Sends this host's reports to the control service one at a time. A report asked for while one
 * is in flight waits, and a newer one replaces it: the newest report says everything an older one
 * would, so a burst of steps (each followed by a report) costs one request in flight and one
 * waiting, never a queue that fills the HTTP client's pool and starves the volume requests that
 * share it. Each report goes in full only when its content changed, else as a heartbeat
 * ({@link FlockerClient#reportOrHeartbeat}). A failure is logged once, until a report gets
 * through again.
 */
final class ReportSender {
  /** Local only: the dataset agent's reports. */
  sealed interface Command extends NoSerializationVerificationNeeded {}

  /** Send {@code report} (or the newest one asked for after it) as soon as none is in flight. */
  record Send(NodeReport report) implements Command {}

  private record Sent(Throwable failure) implements Command {}

  private final ActorContext<Command> ctx;
  private final FlockerClient flocker;
  private final String node;
  /** The last failure's message, so one outage is logged once. */
  private String failing;

  private ReportSender(ActorContext<Command> ctx, FlockerClient flocker, String node) {
    this.ctx = ctx;
    this.flocker = flocker;
    this.node = node;
  }

  static Behavior<Command> create(FlockerClient flocker, String node) {
    return Behaviors.setup(ctx -> new ReportSender(ctx, flocker, node).idle());
  }

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class)
        .onMessage(Send.class, s -> send(s.report()))
        .build();
  }

  /** One report in flight; {@code next}: the newest asked for since, sent when it is answered. */
  private Behavior<Command> sending(Optional<NodeReport> next) {
    return Behaviors.receive(Command.class)
        .onMessage(Send.class, s -> sending(Optional.of(s.report())))
        .onMessage(Sent.class, s -> {
          outcome(s.failure());
          return next.map(this::send).orElseGet(this::idle);
        })
        .build();
  }

  private Behavior<Command> send(NodeReport report) {
    ctx.pipeToSelf(flocker.reportOrHeartbeat(report), (ok, failure) -> new Sent(failure));
    return sending(Optional.empty());
  }

  private void outcome(Throwable failure) {
    if (failure == null) {
      failing = null;
      return;
    }
    boolean overtaken = FlockerException.of(failure)
        .filter(e -> e.kind() == FlockerException.Kind.STALE_REPORT).isPresent();
    if (overtaken) {
      return; // a newer report of ours landed first: it says more than this one would
    }
    String message = FlockerException.of(failure).map(Throwable::getMessage)
        .orElse(String.valueOf(failure));
    if (!Objects.equals(message, failing)) {
      ctx.getLog().warn("dataset agent on [{}] could not report its state: {}", node, message);
    }
    failing = message;
  }
}
