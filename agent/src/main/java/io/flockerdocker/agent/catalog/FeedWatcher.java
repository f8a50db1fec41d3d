package io.flockerdocker.agent.catalog;

import io.flockerdocker.agent.flocker.ChangeFeedAnswer;
import io.flockerdocker.agent.flocker.ControlExtensions;
import io.flockerdocker.agent.flocker.DatasetsConfiguration;
import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.flocker.FlockerException;
import io.flockerdocker.protocol.flocker.ChangeBatch;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The StateWatcher while the control service offers the change feed
 * (docs/control-api-extensions.md §4). Its phases, each a behavior waiting for one answer:
 * {@code starting} (the feed's first answer: what changed since the saved catalog, or where the
 * feed is now), {@code readingInFull} (when there is no usable saved catalog, and after a 410),
 * {@code following} (one long-poll of the feed at a time, each batch applied to
 * {@link CatalogState} in O(its size)) and {@code backingOff} (the control service unreachable).
 * Publishing goes on across them: the catalog gets a new snapshot at most every
 * {@code publishEvery} (at least 4x what the last publish took, its subscribers' work included),
 * so a burst of creates costs one publish per interval, not per create. With {@code withReports}
 * (the dataset agent role is on) it also reads every host's report at start; after that each
 * entry of the feed carries every host's copy of its dataset ({@code changes-copies}). From a
 * service of ours without that (an older control service during a rolling upgrade), it reads the
 * reports again before a publish that follows a non-empty batch, each time conditionally (the
 * reports' ETag moves only with a host's content, never with a heartbeat). Without the feed (a
 * plain Flocker), it becomes the polling {@link StateWatcher}.
 */
final class FeedWatcher {
  /** This watcher's own messages. */
  sealed interface Internal extends StateWatcher.Command {}

  private record Started(Start start, Instant startedAt, Throwable failure) implements Internal {}

  /**
   * The feed's first answer: since the saved catalog's version when {@code restore} holds one,
   * else where the feed is now.
   */
  private record Start(ChangeFeedAnswer answer, boolean copiesInFeed, Restore restore) {}

  /** The saved catalog (empty: none), or why it cannot be used. */
  private record Restore(Optional<CatalogFile.Saved> saved, Throwable problem) {}

  private record Lists(DatasetsConfiguration datasets, List<DatasetState> states,
      List<Lease> leases, List<Node> nodes, Optional<List<NodeReport>> reports) {}

  private record FullRead(Lists lists, String version, Instant startedAt, Throwable failure)
      implements Internal {}

  private record Fed(ChangeFeedAnswer answer, Instant startedAt, Throwable failure)
      implements Internal {}

  private record ReportsRead(Optional<List<NodeReport>> reports, Throwable failure)
      implements Internal {}

  private enum Publish implements Internal {
    INSTANCE
  }

  private enum Retry implements Internal {
    INSTANCE
  }

  private static final Object RETRY = "retry";
  private static final Object PUBLISH = "publish";
  private static final Duration MIN_PUBLISH_EVERY = Duration.ofMillis(100);
  private static final Duration MAX_PUBLISH_EVERY = Duration.ofSeconds(2);
  private static final CompletionStage<Optional<CatalogFile.Saved>> NOTHING_SAVED =
      CompletableFuture.completedFuture(Optional.empty());

  private final ActorContext<StateWatcher.Command> ctx;
  private final TimerScheduler<StateWatcher.Command> timers;
  private final FlockerClient flocker;
  private final VolumeCatalog catalog;
  private final Duration idle;
  private final Duration busy;
  private final boolean withReports;
  private final CatalogState state = new CatalogState();
  private final List<StateWatcher.AwaitManifest> waiters = new ArrayList<>();
  /** So that an outage is logged once, and its end once. */
  private boolean reachable = true;
  /** The feed's entries carry every host's copies (changes-copies): no reports read after it. */
  private boolean copiesInFeed;
  /** A batch came since the reports were last read: read them (conditionally) before publishing. */
  private boolean reportsStale;
  /** A reports read is in flight; the publish waiting for it happens when it is in. */
  private boolean readingReports;
  private Duration publishEvery = MIN_PUBLISH_EVERY;
  /** When the publish in progress began (its reports read included), for its pace. */
  private long publishStarted;

  /**
   * {@code saved}: the catalog saved as this node last ran, read while the agent started; used
   * until the feed first answers (an unreachable control service at start does not waste it).
   */
  static Behavior<StateWatcher.Command> create(FlockerClient flocker, VolumeCatalog catalog,
      Duration idle, Duration busy, boolean withReports,
      CompletionStage<Optional<CatalogFile.Saved>> saved) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new FeedWatcher(ctx, timers,
        flocker, catalog, idle, busy, withReports).starting(saved)));
  }

  private FeedWatcher(ActorContext<StateWatcher.Command> ctx,
      TimerScheduler<StateWatcher.Command> timers, FlockerClient flocker, VolumeCatalog catalog,
      Duration idle, Duration busy, boolean withReports) {
    this.ctx = ctx;
    this.timers = timers;
    this.flocker = flocker;
    this.catalog = catalog;
    this.idle = idle;
    this.busy = busy;
    this.withReports = withReports;
  }

  /**
   * Asks for the feed's first answer: what changed since the saved catalog (the first start with a
   * usable file), else where the feed is now (the full read that follows covers everything before
   * it).
   */
  private Behavior<StateWatcher.Command> starting(
      CompletionStage<Optional<CatalogFile.Saved>> saved) {
    Instant startedAt = Instant.now();
    CompletionStage<Restore> restore = saved.handle((found, problem) ->
        problem == null ? new Restore(found, null) : new Restore(Optional.empty(), problem));
    CompletionStage<ControlExtensions> extensions = flocker.extensions();
    CompletionStage<Start> first = restore.thenCompose(r -> flocker.changesSince(
            r.saved().map(CatalogFile.Saved::version), Duration.ZERO)
        .thenCombine(extensions, (answer, x) ->
            new Start(answer, x.has(ControlExtensions.CHANGES_COPIES), r)));
    ctx.pipeToSelf(first, (st, f) -> new Started(st, startedAt, f));
    return phase(b -> b.onMessage(Started.class, s -> onStarted(s, saved)));
  }

  private Behavior<StateWatcher.Command> onStarted(Started s,
      CompletionStage<Optional<CatalogFile.Saved>> saved) {
    if (s.failure() != null) {
      return backingOff(s.failure(), () -> starting(saved));
    }
    reachedAgain();
    Restore restore = s.start().restore();
    if (restore.problem() != null) {
      ctx.getLog().warn("not using the saved catalog, reading in full: {}",
          restore.problem().getMessage());
    }
    ChangeFeedAnswer answer = s.start().answer();
    copiesInFeed = s.start().copiesInFeed();
    if (answer instanceof ChangeFeedAnswer.Changes c && restore.saved().isPresent()) {
      return restored(restore.saved().get(), c.batch(), s.startedAt());
    }
    if (answer instanceof ChangeFeedAnswer.Changes c) {
      return readingInFull(c.batch().version());
    }
    if (answer == ChangeFeedAnswer.Gone.INSTANCE && restore.saved().isPresent()) {
      ctx.getLog().info("the change feed no longer reaches back to the saved catalog's [{}]: "
          + "reading in full", restore.saved().get().version());
      return starting(NOTHING_SAVED);
    }
    return polling(false); // NotOffered (Gone cannot answer a request without a version)
  }

  /**
   * The saved catalog brought up to date by one batch of what changed since it: as complete as a
   * full read, at the cost of the changes. The reports, which the feed carries only with
   * changes-copies, are read before publishing otherwise.
   */
  private Behavior<StateWatcher.Command> restored(CatalogFile.Saved from, ChangeBatch since,
      Instant startedAt) {
    state.restore(from.snapshot());
    state.apply(since, startedAt);
    reportsStale = withReports && !copiesInFeed;
    ctx.getLog().info("catalog restored from its saved copy in [{} ms]: [{}] datasets as of [{}] "
        + "and [{}] changed since, following the change feed from [{}]",
        Duration.between(startedAt, Instant.now()).toMillis(), from.configuration().size(),
        from.version(), since.datasets().size(), state.version());
    publish();
    return following();
  }

  /** Reads every list once, as of the feed's version {@code from}. */
  private Behavior<StateWatcher.Command> readingInFull(String from) {
    Instant started = Instant.now();
    CompletionStage<Lists> read = flocker.listAllDatasetsConfiguration()
        .thenCombine(flocker.listDatasetsState(), (d, st) -> new Lists(d, st, null, null, null))
        .thenCombine(flocker.listLeases(), (l, ls) -> new Lists(l.datasets(), l.states(), ls,
            null, null))
        .thenCombine(flocker.listNodes(), (l, ns) -> new Lists(l.datasets(), l.states(),
            l.leases(), ns, null))
        .thenCombine(reports(), (l, rs) -> new Lists(l.datasets(), l.states(), l.leases(),
            l.nodes(), rs));
    ctx.pipeToSelf(read, (lists, f) -> new FullRead(lists, from, started, f));
    return phase(b -> b.onMessage(FullRead.class, this::onFullRead));
  }

  private Behavior<StateWatcher.Command> onFullRead(FullRead r) {
    if (r.failure() != null) {
      return backingOff(r.failure(), () -> starting(NOTHING_SAVED));
    }
    reachedAgain();
    Lists l = r.lists();
    state.reset(l.datasets().datasets(), l.states(), l.leases(), l.nodes(), r.version(),
        r.startedAt());
    l.reports().ifPresent(state::reports);
    reportsStale = false;
    ctx.getLog().info("catalog read in full in [{} ms]: [{}] datasets, following the change "
        + "feed from [{}]", Duration.between(r.startedAt(), Instant.now()).toMillis(),
        l.datasets().datasets().size(), r.version());
    publish();
    return following();
  }

  /** One long-poll of the feed at a time, from the version the catalog state is at. */
  private Behavior<StateWatcher.Command> following() {
    Instant started = Instant.now();
    ctx.pipeToSelf(flocker.changesSince(Optional.of(state.version()), StateWatcher.WATCH),
        (answer, f) -> new Fed(answer, started, f));
    return phase(b -> b.onMessage(Fed.class, this::onFed));
  }

  private Behavior<StateWatcher.Command> onFed(Fed f) {
    if (f.failure() != null) {
      return backingOff(f.failure(), this::following);
    }
    reachedAgain();
    if (f.answer() instanceof ChangeFeedAnswer.Changes c) {
      ChangeBatch batch = c.batch();
      state.apply(batch, f.startedAt());
      boolean changed = !batch.datasets().isEmpty() || batch.nodes() != null;
      // the hosts' copies come in the entries, or else from the reports list, read again
      reportsStale |= changed && withReports && !copiesInFeed;
      // a running timer is left alone: restarting it on every batch would starve the catalog
      // for as long as a burst lasts
      if (changed && !timers.isTimerActive(PUBLISH)) {
        timers.startSingleTimer(PUBLISH, Publish.INSTANCE, publishEvery);
      }
      return following();
    }
    if (f.answer() == ChangeFeedAnswer.Gone.INSTANCE) {
      ctx.getLog().info("change feed no longer reaches back to [{}]: reading in full",
          state.version());
      return starting(NOTHING_SAVED);
    }
    return polling(true);
  }

  /** Unreachable or refused: logs once, then asks {@code again} after a while. */
  private Behavior<StateWatcher.Command> backingOff(Throwable failure,
      Supplier<Behavior<StateWatcher.Command>> again) {
    if (reachable) {
      ctx.getLog().warn("control service unreachable, serving the last known volumes: {}",
          FlockerException.of(failure).map(Throwable::getMessage)
              .orElse(String.valueOf(failure)));
    }
    reachable = false;
    timers.startSingleTimer(RETRY, Retry.INSTANCE, waiters.isEmpty() ? idle : busy);
    return phase(b -> b.onMessage(Retry.class, r -> again.get()));
  }

  private void reachedAgain() {
    if (!reachable) {
      ctx.getLog().info("control service reachable again");
    }
    reachable = true;
  }

  /**
   * A phase: its own answer ({@code own}), and what every phase handles, since publishing and
   * waiters outlive any one request to the feed.
   */
  private Behavior<StateWatcher.Command> phase(
      UnaryOperator<BehaviorBuilder<StateWatcher.Command>> own) {
    return own.apply(Behaviors.receive(StateWatcher.Command.class))
        .onMessage(Publish.class, p -> {
          publish();
          return Behaviors.same();
        })
        .onMessage(ReportsRead.class, this::onReportsRead)
        // the feed brings this node's own changes like any other: nothing to nudge
        .onMessage(StateWatcher.Nudge.class, n -> Behaviors.same())
        .onMessage(StateWatcher.AwaitManifest.class, this::onAwait)
        .build();
  }

  /** Every host's report if this node keeps them and any changed, else empty (no request). */
  private CompletionStage<Optional<List<NodeReport>>> reports() {
    return withReports ? flocker.listReportsIfChanged()
        : CompletableFuture.completedFuture(Optional.empty());
  }

  /** Publishes, after reading the reports first when a batch may have changed them. */
  private void publish() {
    timers.cancel(PUBLISH);
    publishStarted = System.nanoTime();
    if (readingReports) {
      return; // published when they are in
    }
    if (reportsStale) {
      reportsStale = false;
      readingReports = true;
      ctx.pipeToSelf(reports(), ReportsRead::new);
      return;
    }
    publishNow();
  }

  private Behavior<StateWatcher.Command> onReportsRead(ReportsRead r) {
    readingReports = false;
    if (r.failure() != null) {
      // the catalog still gets the batches; the reports are read again with the next publish
      reportsStale = true;
      ctx.getLog().warn("cannot read the hosts' reports, publishing without them: {}",
          FlockerException.of(r.failure()).map(Throwable::getMessage)
              .orElse(String.valueOf(r.failure())));
      timers.startSingleTimer(PUBLISH, Publish.INSTANCE, busy);
    } else {
      r.reports().ifPresent(state::reports);
    }
    publishNow();
    if (reportsStale && !timers.isTimerActive(PUBLISH)) {
      // a batch came while they were read: what it changed may be newer than this answer
      timers.startSingleTimer(PUBLISH, Publish.INSTANCE, publishEvery);
    }
    return Behaviors.same();
  }

  /**
   * Hands the catalog a new snapshot; the next one waits at least 4x what this one took (the
   * reports read before it included, so a large reports list slows the pace, not the feed).
   */
  private void publishNow() {
    catalog.update(state.snapshot(), state.drainChanged());
    Duration took = Duration.ofNanos(System.nanoTime() - publishStarted);
    Duration next = took.multipliedBy(4);
    publishEvery = next.compareTo(MIN_PUBLISH_EVERY) < 0 ? MIN_PUBLISH_EVERY
        : next.compareTo(MAX_PUBLISH_EVERY) > 0 ? MAX_PUBLISH_EVERY : next;
    answerWaiters();
  }

  /** Answered from the view now if it has the path (never before the first read), else later. */
  private Behavior<StateWatcher.Command> onAwait(StateWatcher.AwaitManifest m) {
    Optional<String> path = state.manifestPath(m.datasetId(), m.nodeUuid());
    if (path.isPresent()) {
      m.replyTo().tell(new StateWatcher.Manifest(m.datasetId(), m.nodeUuid(), path.get()));
    } else {
      waiters.add(m);
    }
    return Behaviors.same();
  }

  private void answerWaiters() {
    Instant now = Instant.now();
    waiters.removeIf(w -> {
      Optional<String> path = state.manifestPath(w.datasetId(), w.nodeUuid());
      path.ifPresent(p -> w.replyTo().tell(
          new StateWatcher.Manifest(w.datasetId(), w.nodeUuid(), p)));
      return path.isPresent() || now.isAfter(w.deadline());
    });
  }

  /**
   * No feed here: the polling watcher takes over, with whoever waits; {@code publishFirst}: with
   * the catalog as the feed last left it (none before the first read).
   */
  private Behavior<StateWatcher.Command> polling(boolean publishFirst) {
    timers.cancelAll();
    ctx.getLog().info("control service offers no change feed: polling it");
    if (publishFirst) {
      publishNow();
    }
    return StateWatcher.polling(ctx, timers, flocker, catalog, idle, busy, withReports, waiters);
  }
}
