package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.dataset.StepRunner.Outcome;
import io.flockerdocker.agent.dataset.StepRunner.StepFailure;
import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * This host's dataset agent role (docs/data-plane.md §2): converges from the node's shared
 * snapshot of the control service ({@link VolumeCatalog#subscribe}: what the node's StateWatcher
 * publishes, from the change feed or by polling, with every host's report), never reading the
 * control service itself. It converges when a snapshot with a changed list arrives, right after
 * each step (one at a time, on the io dispatcher), and every resync-interval as a safety net;
 * each decision looks only at the datasets the snapshots changed since (see {@link #converge}).
 * Phases are behaviors: {@code starting} (scan the disk), {@code idle}, {@code working} (one step
 * in flight). Never blocks; a failed step is reported and retried converge-interval later.
 */
public final class DatasetAgent extends AbstractBehavior<DatasetAgent.Command> {
  /** Local only: nothing here crosses nodes (reports go over HTTP). */
  public sealed interface Command extends NoSerializationVerificationNeeded {}

  private enum Tick implements Command { INSTANCE }

  /** resync-interval passed with nothing to do: every dataset is decided again. */
  private enum Resync implements Command { INSTANCE }

  /** The timer key of the next decision, whether a {@link Tick} or a {@link Resync}. */
  private static final Object NEXT_DECISION = "next-decision";

  private enum Heartbeat implements Command { INSTANCE }

  private enum Rescan implements Command { INSTANCE }

  private record Scanned(Map<String, LocalCopy> copies) implements Command {}

  private record ScanFailed(Throwable cause) implements Command {}

  /**
   * The catalog published a snapshot (perhaps with nothing changed: see {@link #changed}), with
   * the datasets it changed since the last one (empty: any may have).
   */
  private record Changed(FlockerSnapshot snapshot, Optional<Set<String>> datasetIds)
      implements Command {}

  private record DelayOver(Step step) implements Command {}

  private record StepDone(Outcome outcome, long nanos) implements Command {}

  private record StepFailed(Step step, Throwable cause) implements Command {}


  private final DatasetAgentDeps deps;
  private final TimerScheduler<Command> timers;
  private final StepRunner runner;
  private final ActorRef<ReportSender.Command> reports;
  private final AgentState state = new AgentState();
  /** The latest snapshot; converged from only once one has arrived. */
  private Optional<FlockerSnapshot> snapshot = Optional.empty();

  public static Behavior<Command> create(DatasetAgentDeps deps) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new DatasetAgent(ctx, t, deps)));
  }

  private DatasetAgent(ActorContext<Command> ctx, TimerScheduler<Command> timers,
      DatasetAgentDeps deps) {
    super(ctx);
    this.deps = deps;
    this.timers = timers;
    this.runner = new StepRunner(deps.backend(), deps.client());
    this.reports = ctx.spawn(ReportSender.create(deps.flocker(), deps.selfName()), "reports");
    // called on the publisher's thread: only a tell, so the snapshot is handled here
    deps.catalog().subscribe(p -> ctx.getSelf().tell(new Changed(p.snapshot(),
        p.changedDatasetIds())));
    FlockerSnapshot now = deps.catalog().snapshot();
    if (now.startedAt().isAfter(Instant.EPOCH)) {
      // published before this agent subscribed
      ctx.getSelf().tell(new Changed(now, Optional.empty()));
    }
    scan();
  }

  /** Phase {@code starting}: the disk is the only truth about our copies; nothing before it. */
  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Scanned.class, m -> {
          state.local = new HashMap<>(m.copies());
          getContext().getLog().info("dataset agent on [{}] found {} local copies under [{}]",
              deps.selfName(), m.copies().size(), deps.settings().root());
          timers.startTimerWithFixedDelay(Heartbeat.INSTANCE, deps.settings().heartbeat());
          report(Optional.empty());
          return converge();
        })
        .onMessage(Changed.class, m -> {
          changed(m);
          return Behaviors.same();
        })
        .onMessage(ScanFailed.class, m -> {
          getContext().getLog().error("dataset agent on [{}] cannot read [{}]: {}; retrying",
              deps.selfName(), deps.settings().root(), m.cause().toString());
          timers.startSingleTimer(Rescan.INSTANCE, deps.settings().convergeInterval());
          return Behaviors.same();
        })
        .onMessageEquals(Rescan.INSTANCE, () -> {
          scan();
          return Behaviors.same();
        })
        .build();
  }

  /**
   * Nothing in flight; converges on a changed snapshot or when {@code timer} fires after {@code
   * wait} ({@link Tick}: the next decision; {@link Resync}: a full pass).
   */
  private Receive<Command> idle(Command timer, Duration wait) {
    timers.startSingleTimer(NEXT_DECISION, timer, wait); // one key: a new wait replaces the last
    return newReceiveBuilder()
        .onMessageEquals(Tick.INSTANCE, this::converge)
        .onMessageEquals(Resync.INSTANCE, () -> {
          state.everything = true;
          return converge();
        })
        .onMessage(Changed.class, m -> changed(m) ? converge() : Behaviors.same())
        .onMessageEquals(Heartbeat.INSTANCE, () -> {
          report(Optional.empty());
          return Behaviors.same();
        })
        .build();
  }

  /** After a failed step: the next decision converge-interval later. */
  private Receive<Command> idle() {
    return idle(Tick.INSTANCE, deps.settings().convergeInterval());
  }

  /** Nothing to do (or no snapshot yet): a full pass resync-interval later, unless news comes. */
  private Receive<Command> resting() {
    return idle(Resync.INSTANCE, deps.settings().resyncInterval());
  }

  /**
   * One step in flight: waiting out move-delay, running it, or re-scanning after it failed;
   * {@code pulling} is the dataset being received, which heartbeats keep reporting. A snapshot
   * arriving meanwhile is kept for the next convergence.
   */
  private Receive<Command> working(Optional<String> pulling) {
    return newReceiveBuilder()
        .onMessage(Changed.class, m -> {
          changed(m);
          return Behaviors.same();
        })
        .onMessage(DelayOver.class, m -> run(m.step()))
        .onMessage(StepDone.class, this::onStepDone)
        .onMessage(StepFailed.class, this::onStepFailed)
        .onMessage(Scanned.class, m -> {
          state.local = new HashMap<>(m.copies());
          state.everything = true; // the disk may say more than the failed step
          report(Optional.empty());
          return idle();
        })
        .onMessage(ScanFailed.class, m -> {
          getContext().getLog().error("dataset agent on [{}] cannot read [{}]: {}",
              deps.selfName(), deps.settings().root(), m.cause().toString());
          return idle();
        })
        // a pull may take minutes: a restarted control service must not wait for its end
        .onMessageEquals(Heartbeat.INSTANCE, () -> {
          report(pulling);
          return Behaviors.same();
        })
        .build();
  }

  /**
   * Keeps {@code m}'s snapshot and marks what it changed for the next decision; false when its
   * lists are those of the last one (a poll of a plain Flocker that found nothing new, or a
   * catalog refresh): nothing to converge on.
   */
  private boolean changed(Changed m) {
    FlockerSnapshot before = snapshot.orElse(null);
    if (before != null && before.sameLists(m.snapshot())) {
      return false;
    }
    FlockerSnapshot s = m.snapshot();
    snapshot = Optional.of(s);
    if (m.datasetIds().isPresent()) {
      // the feed's entries carry every host's copies: what they changed is among these ids
      m.datasetIds().get().forEach(id -> state.changed(deps.selfUuid(), id, s.copies(id)));
    } else {
      state.everything = true;
    }
    return true;
  }

  /**
   * One decision from the latest snapshot; with none yet, waits for it. It looks only at the
   * datasets whose inputs changed since they were last decided (or are still to be worked on),
   * and at every dataset only after a full read, a rescan or every resync-interval, so a step
   * costs what changed, not every dataset of the cluster. Steps follow each other at once; a
   * failed one is retried converge-interval later.
   */
  private Behavior<Command> converge() {
    if (snapshot.isEmpty()) {
      return resting();
    }
    FlockerSnapshot s = snapshot.get();
    Convergence.Inputs in = new Convergence.Inputs(deps.selfUuid(), s.configuration(),
        id -> s.lease(id).map(List::of).orElse(List.of()), s::copies,
        Collections.unmodifiableMap(state.local),
        Collections.unmodifiableSet(state.seen)); // read here, synchronously: no copy needed
    List<Step> steps;
    if (state.everything) {
      state.everything = false;
      s.allCopies().forEach(copies -> state.seen(deps.selfUuid(), copies));
      state.warnUnknown(getContext().getLog(), Convergence.unknown(in));
      steps = Convergence.steps(in, in.configuration());
    } else {
      List<DatasetConfiguration> candidates = new ArrayList<>();
      state.dirty.forEach(id -> s.dataset(id).ifPresent(candidates::add));
      steps = Convergence.steps(in, candidates);
    }
    state.dirty.clear();
    steps.forEach(st -> state.dirty.add(st.datasetId())); // decided again after this one
    publish();
    if (steps.isEmpty()) {
      if (!state.lastReported.equals(reportedDatasets(Optional.empty()))) {
        report(Optional.empty());
      }
      return resting();
    }
    Step step = steps.get(0);
    boolean moving = step instanceof Step.Pull;
    if (moving && !deps.settings().moveDelay().isZero()) {
      timers.startSingleTimer(new DelayOver(step), deps.settings().moveDelay());
    } else {
      run(step);
    }
    Optional<String> pulling = moving ? Optional.of(step.datasetId()) : Optional.empty();
    if (moving) {
      report(pulling); // receiving: the state shows it in transit
    }
    return working(pulling);
  }

  private Behavior<Command> run(Step step) {
    long started = System.nanoTime();
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> runner.run(step), deps.io()),
        (outcome, failure) -> failure == null ? new StepDone(outcome, System.nanoTime() - started)
            : new StepFailed(step, failure));
    return Behaviors.same();
  }

  private Behavior<Command> onStepDone(StepDone m) {
    Outcome o = m.outcome();
    String id = o.step().datasetId();
    o.copy().ifPresentOrElse(c -> state.local.put(id, c), () -> state.local.remove(id));
    state.errors.remove(id);
    o.pulled().ifPresent(r -> deps.metrics().transferOk(r.contentBytes()));
    getContext().getLog().info("dataset agent on [{}]: {}", deps.selfName(),
        StepLines.done(o, m.nanos(), deps.nameOf()));
    publish();
    report(Optional.empty());
    return idle(Tick.INSTANCE, Duration.ZERO); // the next step, if any, at once
  }

  private Behavior<Command> onStepFailed(StepFailed m) {
    Throwable cause = m.cause() instanceof CompletionException && m.cause().getCause() != null
        && !(m.cause() instanceof StepFailure) ? m.cause().getCause() : m.cause();
    if (m.step() instanceof Step.Pull && cause instanceof StepFailure f) {
      f.kind().ifPresent(deps.metrics()::transferFailed);
    }
    String what = StepLines.failed(m.step(), deps.nameOf());
    String error = what + " failed: " + cause.getMessage();
    state.stepFailed(getContext().getLog(), deps.selfName(), m.step().datasetId(), error, cause);
    // the backend may have kept a partial copy as a replica: the disk says what we hold now
    scan();
    return Behaviors.same();
  }

  private void scan() {
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      try {
        return deps.backend().scan();
      } catch (java.io.IOException e) {
        throw new CompletionException(e);
      }
    }, deps.io()), (copies, failure) -> failure == null ? new Scanned(copies)
        : new ScanFailed(failure));
  }

  private void publish() {
    deps.served().publish(DatasetReports.served(state.local, this::dataset));
  }

  private List<ReportedDataset> reportedDatasets(Optional<String> pulling) {
    return DatasetReports.of(state.local, pulling, state.errors, this::dataset);
  }

  private Optional<DatasetConfiguration> dataset(String datasetId) {
    return snapshot.flatMap(s -> s.dataset(datasetId));
  }

  private void report(Optional<String> pulling) {
    List<ReportedDataset> datasets = reportedDatasets(pulling);
    state.lastReported = datasets;
    NodeReport r = new NodeReport(deps.selfUuid(), deps.settings().advertiseHost(),
        deps.dataPort(), deps.settings().backend().wireName(), deps.epoch(), ++state.seq,
        datasets);
    reports.tell(new ReportSender.Send(r));
  }
}
