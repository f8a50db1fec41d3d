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
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The StateWatcher while the control service offers the change feed
 * (docs/control-api-extensions.md §4): one full read at start (and after a 410), then one
 * long-poll of the feed at a time, each batch applied to {@link CatalogState} in O(its size).
 * The catalog gets a new snapshot at most every {@link #publishEvery} (at least 4x what the last
 * publish took, its subscribers' work included), so a burst of creates costs one publish per
 * interval, not per create. With {@code withReports} (the dataset agent role is on) it also reads
 * every host's report at start; after that each entry of the feed carries every host's copy of
 * its dataset ({@code changes-copies}). From a service of ours without that (an older control
 * service during a rolling upgrade), it reads the reports again before a publish that follows a
 * non-empty batch, each time conditionally (the reports' ETag moves only with a host's content,
 * never with a heartbeat). Without the feed (a plain Flocker), it becomes the polling {@link
 * StateWatcher}.
 */
final class FeedWatcher extends AbstractBehavior<StateWatcher.Command> {
  /** This phase's own messages. */
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

  private final FlockerClient flocker;
  private final VolumeCatalog catalog;
  private final Duration idle;
  private final Duration busy;
  private final boolean withReports;
  private final TimerScheduler<StateWatcher.Command> timers;
  private final CatalogState state = new CatalogState();
  /**
   * The saved catalog, read while the agent started: until the feed first answers (an
   * unreachable control service at start does not waste it), then never again.
   */
  private CompletionStage<Optional<CatalogFile.Saved>> saved;
  private final List<StateWatcher.AwaitManifest> waiters = new ArrayList<>();
  /** Null until the first full read is in: until then, no feed request. */
  private String version;
  private Instant appliedFrom = Instant.EPOCH;
  private boolean busyReading;
  private boolean reachable = true;
  private Duration publishEvery = MIN_PUBLISH_EVERY;
  /** The feed's entries carry every host's copies (changes-copies): no reports read after it. */
  private boolean copiesInFeed;
  /** A batch came since the reports were last read: read them (conditionally) before publishing. */
  private boolean reportsStale;
  private boolean readingReports;
  /** When the publish in progress began (its reports read included), for its pace. */
  private long publishStarted;

  static Behavior<StateWatcher.Command> create(FlockerClient flocker, VolumeCatalog catalog,
      Duration idle, Duration busy, boolean withReports,
      CompletionStage<Optional<CatalogFile.Saved>> saved) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new FeedWatcher(ctx, timers,
        flocker, catalog, idle, busy, withReports, saved)));
  }

  private FeedWatcher(ActorContext<StateWatcher.Command> ctx,
      TimerScheduler<StateWatcher.Command> timers, FlockerClient flocker, VolumeCatalog catalog,
      Duration idle, Duration busy, boolean withReports,
      CompletionStage<Optional<CatalogFile.Saved>> saved) {
    super(ctx);
    this.saved = saved;
    this.withReports = withReports;
    this.timers = timers;
    this.flocker = flocker;
    this.catalog = catalog;
    this.idle = idle;
    this.busy = busy;
    start();
  }

  @Override
  public Receive<StateWatcher.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Started.class, this::onStarted)
        .onMessage(FullRead.class, this::onFullRead)
        .onMessage(Fed.class, this::onFed)
        .onMessage(Publish.class, p -> publish())
        .onMessage(ReportsRead.class, this::onReportsRead)
        .onMessage(Retry.class, r -> retry())
        // the feed brings this node's own changes like any other: nothing to nudge
        .onMessage(StateWatcher.Nudge.class, n -> this)
        .onMessage(StateWatcher.AwaitManifest.class, this::onAwait)
        .build();
  }

  /**
   * The first answer of the feed: what changed since the saved catalog (the first start with a
   * usable file), else where the feed is now (the full read that follows covers everything
   * before it).
   */
  private void start() {
    busyReading = true;
    Instant startedAt = Instant.now();
    CompletionStage<Restore> restore = saved.handle((found, problem) ->
        problem == null ? new Restore(found, null) : new Restore(Optional.empty(), problem));
    CompletionStage<ControlExtensions> extensions = flocker.extensions();
    CompletionStage<Start> first = restore.thenCompose(r -> flocker.changesSince(
            r.saved().map(CatalogFile.Saved::version), Duration.ZERO)
        .thenCombine(extensions, (answer, x) ->
            new Start(answer, x.has(ControlExtensions.CHANGES_COPIES), r)));
    getContext().pipeToSelf(first, (st, f) -> new Started(st, startedAt, f));
  }

  private Behavior<StateWatcher.Command> onStarted(Started s) {
    if (s.failure() != null) {
      return failed(s.failure());
    }
    saved = CompletableFuture.completedFuture(Optional.empty());
    Restore restore = s.start().restore();
    if (restore.problem() != null) {
      getContext().getLog().warn("not using the saved catalog, reading in full: {}",
          restore.problem().getMessage());
    }
    ChangeFeedAnswer answer = s.start().answer();
    copiesInFeed = s.start().copiesInFeed();
    if (answer instanceof ChangeFeedAnswer.Changes c && restore.saved().isPresent()) {
      return restored(restore.saved().get(), c.batch(), s.startedAt());
    }
    if (answer instanceof ChangeFeedAnswer.Changes c) {
      fullRead(c.batch().version());
      return this;
    }
    if (answer == ChangeFeedAnswer.Gone.INSTANCE && restore.saved().isPresent()) {
      getContext().getLog().info("the change feed no longer reaches back to the saved "
          + "catalog's [{}]: reading in full", restore.saved().get().version());
      start();
      return this;
    }
    return polling(); // NotOffered (Gone cannot answer a request without a version)
  }

  /**
   * The saved catalog brought up to date by one batch of what changed since it: as complete as a
   * full read, at the cost of the changes. The reports, which the feed carries only with
   * changes-copies, are read before publishing otherwise.
   */
  private Behavior<StateWatcher.Command> restored(CatalogFile.Saved from, ChangeBatch since,
      Instant startedAt) {
    state.restore(from.snapshot());
    state.apply(since);
    version = since.version();
    appliedFrom = startedAt;
    reportsStale = withReports && !copiesInFeed;
    getContext().getLog().info("catalog restored from its saved copy in [{} ms]: [{}] datasets "
        + "as of [{}] and [{}] changed since, following the change feed from [{}]",
        Duration.between(startedAt, Instant.now()).toMillis(), from.configuration().size(),
        from.version(), since.datasets().size(), version);
    publish();
    follow();
    return this;
  }

  private void fullRead(String from) {
    Instant started = Instant.now();
    CompletionStage<Lists> read = flocker.listAllDatasetsConfiguration()
        .thenCombine(flocker.listDatasetsState(), (d, st) -> new Lists(d, st, null, null, null))
        .thenCombine(flocker.listLeases(), (l, ls) -> new Lists(l.datasets(), l.states(), ls,
            null, null))
        .thenCombine(flocker.listNodes(), (l, ns) -> new Lists(l.datasets(), l.states(),
            l.leases(), ns, null))
        .thenCombine(reports(), (l, rs) -> new Lists(l.datasets(), l.states(), l.leases(),
            l.nodes(), rs));
    getContext().pipeToSelf(read, (lists, f) -> new FullRead(lists, from, started, f));
  }

  private Behavior<StateWatcher.Command> onFullRead(FullRead r) {
    if (r.failure() != null) {
      return failed(r.failure());
    }
    Lists l = r.lists();
    state.reset(l.datasets().datasets(), l.states(), l.leases(), l.nodes());
    l.reports().ifPresent(state::reports);
    reportsStale = false;
    version = r.version();
    appliedFrom = r.startedAt();
    getContext().getLog().info("catalog read in full in [{} ms]: [{}] datasets, following the "
        + "change feed from [{}]", Duration.between(r.startedAt(), Instant.now()).toMillis(),
        l.datasets().datasets().size(), version);
    publish();
    follow();
    return this;
  }

  private void follow() {
    busyReading = true;
    Instant started = Instant.now();
    getContext().pipeToSelf(flocker.changesSince(Optional.of(version), StateWatcher.WATCH),
        (answer, f) -> new Fed(answer, started, f));
  }

  private Behavior<StateWatcher.Command> onFed(Fed f) {
    if (f.failure() != null) {
      return failed(f.failure());
    }
    reachedAgain();
    if (f.answer() instanceof ChangeFeedAnswer.Changes c) {
      ChangeBatch batch = c.batch();
      state.apply(batch);
      version = batch.version();
      appliedFrom = f.startedAt();
      // a running timer is left alone: restarting it on every batch would starve the catalog
      // for as long as a burst lasts
      boolean changed = !batch.datasets().isEmpty() || batch.nodes() != null;
      // the hosts' copies come in the entries, or else from the reports list, read again
      reportsStale |= changed && withReports && !copiesInFeed;
      if (changed && !timers.isTimerActive(PUBLISH)) {
        timers.startSingleTimer(PUBLISH, Publish.INSTANCE, publishEvery);
      }
      follow();
      return this;
    }
    if (f.answer() == ChangeFeedAnswer.Gone.INSTANCE) {
      getContext().getLog().info("change feed no longer reaches back to [{}]: reading in full",
          version);
      start();
      return this;
    }
    return polling();
  }

  /** Every host's report if this node keeps them and any changed, else empty (no request). */
  private CompletionStage<Optional<List<NodeReport>>> reports() {
    return withReports ? flocker.listReportsIfChanged()
        : CompletableFuture.completedFuture(Optional.empty());
  }

  /** Publishes, after reading the reports first when a batch may have changed them. */
  private Behavior<StateWatcher.Command> publish() {
    timers.cancel(PUBLISH);
    publishStarted = System.nanoTime();
    if (readingReports) {
      return this; // published when they are in
    }
    if (reportsStale) {
      reportsStale = false;
      readingReports = true;
      getContext().pipeToSelf(reports(), ReportsRead::new);
      return this;
    }
    return publishNow();
  }

  private Behavior<StateWatcher.Command> onReportsRead(ReportsRead r) {
    readingReports = false;
    if (r.failure() != null) {
      // the catalog still gets the batches; the reports are read again with the next publish
      reportsStale = true;
      getContext().getLog().warn("cannot read the hosts' reports, publishing without them: {}",
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
    return this;
  }

  /**
   * Hands the catalog a new snapshot; the next one waits at least 4x what this one took (the
   * reports read before it included, so a large reports list slows the pace, not the feed).
   */
  private Behavior<StateWatcher.Command> publishNow() {
    catalog.update(state.snapshot(version, appliedFrom), state.drainChanged());
    Duration took = Duration.ofNanos(System.nanoTime() - publishStarted);
    Duration next = took.multipliedBy(4);
    publishEvery = next.compareTo(MIN_PUBLISH_EVERY) < 0 ? MIN_PUBLISH_EVERY
        : next.compareTo(MAX_PUBLISH_EVERY) > 0 ? MAX_PUBLISH_EVERY : next;
    answerWaiters();
    return this;
  }

  private Behavior<StateWatcher.Command> onAwait(StateWatcher.AwaitManifest m) {
    Optional<String> path = state.manifestPath(m.datasetId(), m.nodeUuid());
    if (version != null && path.isPresent()) {
      m.replyTo().tell(new StateWatcher.Manifest(m.datasetId(), m.nodeUuid(), path.get()));
    } else {
      waiters.add(m);
    }
    return this;
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

  /** Unreachable or refused: log once, try again after a while (from the start if never read). */
  private Behavior<StateWatcher.Command> failed(Throwable failure) {
    busyReading = false;
    if (reachable) {
      getContext().getLog().warn("control service unreachable, serving the last known "
          + "volumes: {}", FlockerException.of(failure).map(Throwable::getMessage)
          .orElse(String.valueOf(failure)));
    }
    reachable = false;
    timers.startSingleTimer(RETRY, Retry.INSTANCE, waiters.isEmpty() ? idle : busy);
    return this;
  }

  private void reachedAgain() {
    if (!reachable) {
      getContext().getLog().info("control service reachable again");
    }
    reachable = true;
  }

  private Behavior<StateWatcher.Command> retry() {
    if (busyReading) {
      return this;
    }
    if (version == null) {
      start();
    } else {
      follow();
    }
    return this;
  }

  /** No feed here: the polling watcher takes over, with whoever waits. */
  private Behavior<StateWatcher.Command> polling() {
    timers.cancelAll();
    getContext().getLog().info("control service offers no change feed: polling it");
    if (version != null) {
      publishNow();
    }
    return StateWatcher.polling(getContext(), timers, flocker, catalog, idle, busy, withReports,
        waiters);
  }
}
