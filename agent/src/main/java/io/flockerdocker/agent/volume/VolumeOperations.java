package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.cluster.NodeInfo;
import io.flockerdocker.agent.flocker.ControlExtensions;
import io.flockerdocker.agent.flocker.FlockerException;
import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.agent.flocker.NamedCreate;
import io.flockerdocker.agent.mounts.MountTable;
import io.flockerdocker.agent.volume.VolumeCommands.Created;
import io.flockerdocker.agent.volume.VolumeCommands.Released;
import io.flockerdocker.agent.volume.VolumeCommands.Removed;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.NamedDataset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Scheduler;
import org.slf4j.Logger;

/**
 * Recovery, Create, Remove and the operator's Release, as CompletionStages that read only the
 * {@link VolumeState} they are given and return the next one. The entity runs one at a time, so
 * they never race each other for one volume.
 */
final class VolumeOperations extends VolumeSteps {
  /** An operation's result and the state after it. */
  record Step<T extends VolumeCommands.Reply>(VolumeState next, T value) {}

  private static final int CREATE_ATTEMPTS = 20;

  VolumeOperations(String name, VolumeDeps deps, Scheduler scheduler, Logger log) {
    super(name, deps, scheduler, log);
  }

  /** Rebuilds the state from Flocker (configuration, leases) and the holder's MountTable. */
  CompletionStage<VolumeState> recover() {
    return deps.flocker().datasetByName(name).thenCompose(found -> {
      if (found.isEmpty()) {
        return done(VolumeState.absent());
      }
      DatasetConfiguration d = found.get().dataset();
      VolumeState free = VolumeState.free(d.datasetId(), d.primary());
      return Optional.ofNullable(found.get().lease())
          .map(l -> {
            String path =
                deps.catalog().snapshot().manifestPath(free.datasetId(), l.nodeUuid()).orElse(null);
            return currentHolder(free.held(l.nodeUuid(), -1, path));
          })
          .orElseGet(() -> done(free));
    });
  }

  CompletionStage<Step<Created>> create(VolumeState s, VolumeCommands.Create c, int attempt) {
    // an atomic create-if-name-unused needs no queue; the read-then-POST fallback races this
    // node's other creates for the one tag, so those still go one at a time
    return deps.flocker().extensions()
        .thenCompose(x -> x.has(ControlExtensions.CREATE_IF_NAME_UNUSED) ? createOnce(s, c)
            : deps.creates().run(() -> createOnce(s, c)))
        .exceptionallyCompose(e -> {
          // the fallback gave up under a busy configuration (every lease change anywhere
          // changes the tag): try again later
          if (FlockerException.of(e).filter(f -> f.is(Kind.CONFIGURATION_CHANGED)).isPresent()
              && attempt < CREATE_ATTEMPTS) {
            // racing creators that retry at once collide again: wait a random, growing while
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(
                    backoffMillis(attempt), java.util.concurrent.TimeUnit.MILLISECONDS))
                .thenCompose(x -> create(s, c, attempt + 1));
          }
          return CompletableFuture.failedFuture(e);
        });
  }

  /**
   * One create unless the name is taken (docs/control-api-extensions.md §3, or its fallback):
   * a dataset that already carries the name is adopted, as a Create of an existing volume is.
   */
  private CompletionStage<Step<Created>> createOnce(VolumeState s, VolumeCommands.Create c) {
    CreateDatasetRequest request = new CreateDatasetRequest(c.node().uuid(), null,
        c.options().sizeBytes().orElse(deps.settings().defaultSizeBytes()), metadata(c));
    return deps.flocker().createDatasetIfNameUnused(request).thenApply(outcome -> {
      DatasetConfiguration d = outcome.dataset();
      if (outcome instanceof NamedCreate.NameTaken) {
        // an entity that skipped recovery for this Create still has to learn who holds it
        VolumeState next = !s.recovered() ? VolumeState.UNKNOWN
            : s.exists() ? s : VolumeState.free(d.datasetId(), d.primary());
        return new Step<>(next, new Created(d));
      }
      log.info("volume [{}] created as dataset [{}] on node [{}]", name, d.datasetId(),
          c.node().name());
      return new Step<>(VolumeState.free(d.datasetId(), d.primary()), new Created(d));
    });
  }

  /** Full jitter, 5 ms doubling up to 320 ms: spreads the retries of concurrent creates. */
  static long backoffMillis(int attempt) {
    long cap = 5L << Math.min(attempt, 6);
    return java.util.concurrent.ThreadLocalRandom.current().nextLong(cap + 1);
  }

  private Map<String, String> metadata(VolumeCommands.Create c) {
    Map<String, String> m = new HashMap<>();
    m.put(DatasetConfiguration.NAME_KEY, name);
    // the primary may move on (a Mount elsewhere) before this host's dataset agent has made the
    // first copy: only this host may make it, or two hosts would each start an empty one
    m.put(DatasetConfiguration.ORIGIN_KEY, c.node().uuid());
    m.put(VolumeCatalog.CREATED_AT_KEY, deps.clock().instant().toString());
    c.options().profile().ifPresent(p -> m.put("clusterhq:flocker:profile", p));
    return m;
  }

  CompletionStage<Step<Removed>> remove(VolumeState s, VolumeCommands.Remove c) {
    return deps.flocker().datasetByName(name).thenCompose(found -> {
      Optional<DatasetConfiguration> d = found.map(NamedDataset::dataset);
      if (d.isEmpty()) {
        return done(new Step<>(VolumeState.absent(), Removed.INSTANCE));
      }
      VolumeState known = s.exists() ? s : VolumeState.free(d.get().datasetId(),
          d.get().primary());
      // refused only on the holder's own word: its last Unmount's push may still be on its way
      CompletionStage<VolumeState> holder =
          known.holderMounts() != 0 ? currentHolder(known) : done(known);
      return holder.thenCompose(now -> {
        if (now.holderUuid() != null && now.holderMounts() != 0) {
          return failed(heldElsewhere(now).asked(VolumeFailure.HeldElsewhere.Asked.REMOVE), now);
        }
        CompletionStage<Done> unlocked = now.holderUuid() != null
            ? releaseLease(now.datasetId()) : done(Done.getInstance());
        return unlocked.thenCompose(x -> deps.flocker().deleteDataset(now.datasetId()))
            .thenApply(x -> {
              log.info("volume [{}] removed (dataset [{}]) by node [{}]", name,
                  now.datasetId(), c.node().name());
              return new Step<>(VolumeState.absent(), Removed.INSTANCE);
            });
      });
    });
  }

  /**
   * Operator recovery. A node that is gone: drop its lease. A live node only with {@code
   * force} (its dockerd lost the containers): forget its mounts of this volume, then the lease.
   */
  CompletionStage<Step<Released>> release(VolumeState s, VolumeCommands.Release c) {
    if (s.holderUuid() == null) {
      return rejected("volume " + name + " is not mounted on any node", s);
    }
    String holderName = deps.nodes().nameOf(s.holderUuid());
    if (!holderName.equals(c.fromNode()) && !s.holderUuid().equals(c.fromNode())) {
      return rejected("volume " + name + " is mounted on " + holderName + ", not on "
          + c.fromNode(), s);
    }
    Optional<NodeInfo> live = deps.nodes().get(s.holderUuid()).filter(NodeInfo::available);
    if (live.isPresent() && !c.force()) {
      return rejected(holderName + " is up and reachable: stop the containers using volume "
          + name + " there, or if none does, release with --force", s);
    }
    CompletionStage<?> forgotten = live.isPresent()
        ? tableChange(live.get().mountTable(), r -> new MountTable.Forget(name, r))
        : done(Done.getInstance());
    return forgotten.thenCompose(x -> releaseLease(s.datasetId())).thenApply(x -> {
      log.warn("AUDIT volume [{}] released from node [{}] by [{}]{}", name, holderName,
          c.operator(), c.force() ? " (forced)" : "");
      return new Step<>(s.released(), Released.INSTANCE);
    });
  }

  /** Gives back the lease of a holder whose MountTable pushed 0 mounts. */
  CompletionStage<VolumeState> releaseHolder(VolumeState s) {
    return releaseLease(s.datasetId()).thenApply(x -> {
      log.info("volume [{}]: lease of [{}] given back, no mount left there", name,
          deps.nodes().nameOf(s.holderUuid()));
      return s.released();
    });
  }
}
