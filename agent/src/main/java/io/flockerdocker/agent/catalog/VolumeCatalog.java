package io.flockerdocker.agent.catalog;

import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.protocol.docker.Volume;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.Lease;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link VolumeView} of this node: the latest {@link FlockerSnapshot} (indexed by volume
 * name), swapped atomically so reads never wait. Creates, removes and mounts this node just did
 * are overlaid until a poll that started after them confirms them, so an in-flight poll cannot
 * make a fresh volume vanish (dockerd purges a volume whose Get fails), and Get and Path on the
 * node that has just mounted a volume show its Mountpoint at once, wherever the volume's entity
 * runs.
 */
public final class VolumeCatalog implements VolumeView {
  public static final String CREATED_AT_KEY = "flocker-docker.created-at";

  private record Learned(DatasetConfiguration dataset, Instant at) {}

  /** A dataset this node has just mounted, at {@code path}. */
  private record Arrived(String path, Instant at) {}

  /**
   * One published view: the last snapshot (indexed by name, id and node: every lookup O(log V)),
   * and this node's own fresh creates, removes and mounts laid over it. An overlay costs
   * O(overlays); a List's reply is rendered on first use and kept with the view.
   */
  private record View(
      FlockerSnapshot snapshot,
      Map<String, Learned> created,
      Map<String, Instant> removed,
      Map<String, Arrived> mounted,
      ListBody listBody) {

    View with(Map<String, Learned> c, Map<String, Instant> r, Map<String, Arrived> m) {
      return new View(snapshot, Map.copyOf(c), Map.copyOf(r), Map.copyOf(m), new ListBody());
    }

    DatasetConfiguration byName(String name) {
      if (removed.containsKey(name)) {
        return null;
      }
      Optional<DatasetConfiguration> d = snapshot.byName(name);
      Learned l = d.isEmpty() ? created.get(name) : null;
      return d.isPresent() ? d.get() : l == null ? null : l.dataset();
    }

    String holder(String datasetId, String selfUuid) {
      return mounted.containsKey(datasetId) ? selfUuid
          : snapshot.lease(datasetId).map(Lease::nodeUuid).orElse(null);
    }

    /** Live volumes in name order: the snapshot's merged with the created overlay. */
    List<DatasetConfiguration> datasets() {
      List<DatasetConfiguration> out =
          new ArrayList<>(snapshot.volumeCount() + created.size());
      Iterator<DatasetConfiguration> base = snapshot.inNameOrder().iterator();
      Iterator<String> extra = created.keySet().stream()
          .filter(n -> snapshot.byName(n).isEmpty()).sorted().iterator();
      DatasetConfiguration b = base.hasNext() ? base.next() : null;
      String e = extra.hasNext() ? extra.next() : null;
      while (b != null || e != null) {
        if (e == null || (b != null && b.name().compareTo(e) < 0)) {
          out.add(b);
          b = base.hasNext() ? base.next() : null;
        } else {
          out.add(created.get(e).dataset());
          e = extra.hasNext() ? extra.next() : null;
        }
      }
      if (!removed.isEmpty()) {
        out.removeIf(d -> removed.containsKey(d.name()));
      }
      return out;
    }
  }

  /** What subscribers hear after each published view ({@link #subscribe}). */
  public record Published(FlockerSnapshot snapshot, Optional<Set<String>> changedDatasetIds) {}

  /** A view's List reply, rendered on first use (views are immutable, so once is enough). */
  private static final class ListBody {
    private volatile byte[] json;

    byte[] of(Supplier<byte[]> render) {
      byte[] j = json;
      if (j == null) {
        j = render.get();
        json = j; // two racing first readers both render the same view: harmless
      }
      return j;
    }
  }

  private final String selfUuid;
  private final Path datasetRoot;
  private final Nodes nodes;
  private final AtomicReference<View> view;
  private final CompletableFuture<Void> loaded = new CompletableFuture<>();
  private final List<Consumer<Published>> subscribers = new CopyOnWriteArrayList<>();
  private final ListEntries entries = new ListEntries();

  /** {@code datasetRoot}: only state paths under it are ever shown to dockerd as Mountpoint. */
  public VolumeCatalog(String selfUuid, Path datasetRoot, Nodes nodes) {
    this.selfUuid = selfUuid;
    this.datasetRoot = datasetRoot;
    this.nodes = nodes;
    this.view = new AtomicReference<>(new View(FlockerSnapshot.empty(), Map.of(), Map.of(),
        Map.of(), new ListBody()));
  }

  /** Publishes a fresh full read; overlays older than the read's start are dropped. */
  public void update(FlockerSnapshot snapshot) {
    update(snapshot, Optional.empty());
  }

  /**
   * Publishes {@code snapshot}, telling subscribers which datasets changed since the last one
   * ({@code changedDatasetIds} empty: any may have). Overlays older than its start are dropped.
   * O(overlays): the snapshot comes indexed.
   */
  public void update(FlockerSnapshot snapshot, Optional<Set<String>> changedDatasetIds) {
    Instant from = snapshot.startedAt();
    view.updateAndGet(v -> {
      Map<String, Learned> created = new HashMap<>(v.created());
      created.values().removeIf(l -> l.at().isBefore(from));
      Map<String, Instant> removed = new HashMap<>(v.removed());
      removed.values().removeIf(at -> at.isBefore(from));
      Map<String, Arrived> mounted = new HashMap<>(v.mounted());
      mounted.values().removeIf(a -> a.at().isBefore(from));
      return new View(snapshot, Map.copyOf(created), Map.copyOf(removed), Map.copyOf(mounted),
          new ListBody());
    });
    loaded.complete(null);
    Published p = new Published(snapshot, changedDatasetIds.map(Set::copyOf));
    subscribers.forEach(l -> l.accept(p));
  }

  /**
   * Calls {@code listener} after every published snapshot, on the publisher's thread: it must
   * only hand the news on (an actor's {@code tell}), never block or read the control service.
   */
  public void subscribe(Consumer<Published> listener) {
    subscribers.add(listener);
  }

  /**
   * Completes with the first poll. The plugin socket opens only then: a Get answered from an
   * empty view would make dockerd forget every volume it knows.
   */
  public CompletionStage<Void> loaded() {
    return loaded;
  }

  public FlockerSnapshot snapshot() {
    return view.get().snapshot();
  }

  @Override
  public void learnCreated(DatasetConfiguration dataset) {
    Instant now = Instant.now();
    view.updateAndGet(v -> {
      Map<String, Learned> created = new HashMap<>(v.created());
      created.put(dataset.name(), new Learned(dataset, now));
      Map<String, Instant> removed = new HashMap<>(v.removed());
      removed.remove(dataset.name());
      return v.with(created, removed, v.mounted());
    });
  }

  @Override
  public void learnRemoved(String name) {
    Instant now = Instant.now();
    view.updateAndGet(v -> {
      Map<String, Learned> created = new HashMap<>(v.created());
      created.remove(name);
      Map<String, Instant> removed = new HashMap<>(v.removed());
      removed.put(name, now);
      return v.with(created, removed, v.mounted());
    });
  }

  /**
   * This node has just mounted {@code datasetId} at {@code path}: shown as its Mountpoint here
   * (and this node as its holder) until a poll that started afterwards says where it is. A path
   * outside the dataset root is ignored, as it would be in a poll.
   */
  @Override
  public void learnMounted(String datasetId, String path) {
    if (!Mountpoints.valid(datasetRoot, path)) {
      return;
    }
    Instant now = Instant.now();
    view.updateAndGet(v -> {
      Map<String, Arrived> mounted = new HashMap<>(v.mounted());
      mounted.put(datasetId, new Arrived(path, now));
      return v.with(v.created(), v.removed(), mounted);
    });
  }

  @Override
  public Optional<Volume> get(String name) {
    View v = view.get();
    DatasetConfiguration d = v.byName(name);
    return d == null ? Optional.empty()
        : Optional.of(volume(v, d, localPath(v, d.datasetId()), true));
  }

  @Override
  public List<Volume> list() {
    return volumes(view.get());
  }

  @Override
  public byte[] listJson() {
    View v = view.get();
    return v.listBody().of(() -> entries.render(v.datasets(), d -> localPath(v, d.datasetId()),
        (d, mountpoint) -> volume(v, d, mountpoint, false)));
  }

  @Override
  public String path(String name) {
    View v = view.get();
    DatasetConfiguration d = v.byName(name);
    return d == null ? "" : localPath(v, d.datasetId());
  }

  private List<Volume> volumes(View v) {
    List<DatasetConfiguration> ds = v.datasets();
    List<Volume> list = new ArrayList<>(ds.size());
    ds.forEach(d -> list.add(volume(v, d, localPath(v, d.datasetId()), false)));
    return list;
  }

  private Volume volume(View v, DatasetConfiguration d, String mountpoint, boolean withStatus) {
    String createdAt = rfc3339(d.metadata().get(CREATED_AT_KEY));
    if (!withStatus) {
      return new Volume(d.name(), mountpoint, createdAt, null);
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("datasetId", d.datasetId());
    status.put("primary", nodes.nameOf(d.primary()));
    status.put("mountedOn", nodes.nameOf(v.holder(d.datasetId(), selfUuid)));
    if (d.maximumSize() != null) {
      status.put("sizeBytes", d.maximumSize());
    }
    Optional.ofNullable(d.metadata().get("clusterhq:flocker:profile"))
        .ifPresent(p -> status.put("profile", p));
    return new Volume(d.name(), mountpoint, createdAt, status);
  }

  /**
   * This node's directory of {@code datasetId}: a fresh mount's, else the state's when it shows
   * the dataset manifest here. A path outside the dataset root is never a Mountpoint (Mount
   * refuses it with an Err that says why).
   */
  private String localPath(View v, String datasetId) {
    Arrived a = v.mounted().get(datasetId);
    if (a != null) {
      return a.path();
    }
    return v.snapshot().manifestPath(datasetId, selfUuid)
        .filter(p -> Mountpoints.valid(datasetRoot, p)).orElse("");
  }

  /** dockerd rejects a whole reply whose CreatedAt is not RFC 3339: drop bad values instead. */
  private static String rfc3339(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      return Instant.parse(raw).toString();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
