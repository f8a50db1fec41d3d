package io.flockerdocker.agent.catalog;

import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.docker.ListResponse;
import io.flockerdocker.protocol.docker.Volume;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link VolumeView} of this node: the latest {@link FlockerSnapshot} indexed by volume name,
 * swapped atomically so reads never wait. Creates, removes and mounts this node just did are
 * overlaid until a poll that started after them confirms them, so an in-flight poll cannot make a
 * fresh volume vanish (dockerd purges a volume whose Get fails), and Get and Path on the node that
 * has just mounted a volume show its Mountpoint at once, wherever the volume's entity runs.
 */
public final class VolumeCatalog implements VolumeView {
  public static final String CREATED_AT_KEY = "flocker-docker.created-at";

  private record Learned(DatasetConfiguration dataset, Instant at) {}

  /** A dataset this node has just mounted, at {@code path}. */
  private record Arrived(String path, Instant at) {}

  private record View(
      FlockerSnapshot snapshot,
      Map<String, String> localPaths,
      Map<String, String> holders,
      Map<String, DatasetConfiguration> byName,
      Map<String, Learned> created,
      Map<String, Instant> removed,
      Map<String, Arrived> mounted,
      List<Volume> list,
      ListBody listBody) {}

  /** A view's List reply, serialised on first use (views are immutable, so once is enough). */
  private static final class ListBody {
    private volatile byte[] json;

    byte[] of(List<Volume> list) {
      byte[] j = json;
      if (j == null) {
        j = Json.writeBytes(ListResponse.of(list));
        json = j; // two racing first readers both serialise the same view: harmless
      }
      return j;
    }
  }

  private final String selfUuid;
  private final Path datasetRoot;
  private final Nodes nodes;
  private final AtomicReference<View> view;
  private final java.util.concurrent.CompletableFuture<Void> loaded =
      new java.util.concurrent.CompletableFuture<>();

  /** {@code datasetRoot}: only state paths under it are ever shown to dockerd as Mountpoint. */
  public VolumeCatalog(String selfUuid, Path datasetRoot, Nodes nodes) {
    this.selfUuid = selfUuid;
    this.datasetRoot = datasetRoot;
    this.nodes = nodes;
    this.view = new AtomicReference<>(
        build(FlockerSnapshot.empty(), Map.of(), Map.of(), Map.of()));
  }

  /** Publishes a fresh poll; overlays older than the poll's start are dropped. */
  public void update(FlockerSnapshot snapshot) {
    view.updateAndGet(
        v -> {
          Map<String, Learned> created = new HashMap<>(v.created());
          created.values().removeIf(l -> l.at().isBefore(snapshot.startedAt()));
          Map<String, Instant> removed = new HashMap<>(v.removed());
          removed.values().removeIf(at -> at.isBefore(snapshot.startedAt()));
          Map<String, Arrived> mounted = new HashMap<>(v.mounted());
          mounted.values().removeIf(a -> a.at().isBefore(snapshot.startedAt()));
          return build(snapshot, created, removed, mounted);
        });
    loaded.complete(null);
  }

  /**
   * Completes with the first poll. The plugin socket opens only then: a Get answered from an
   * empty view would make dockerd forget every volume it knows.
   */
  public java.util.concurrent.CompletionStage<Void> loaded() {
    return loaded;
  }

  public FlockerSnapshot snapshot() {
    return view.get().snapshot();
  }

  @Override
  public void learnCreated(DatasetConfiguration dataset) {
    Instant now = Instant.now();
    view.updateAndGet(
        v -> {
          Map<String, Learned> created = new HashMap<>(v.created());
          created.put(dataset.name(), new Learned(dataset, now));
          Map<String, Instant> removed = new HashMap<>(v.removed());
          removed.remove(dataset.name());
          return build(v.snapshot(), created, removed, v.mounted());
        });
  }

  @Override
  public void learnRemoved(String name) {
    Instant now = Instant.now();
    view.updateAndGet(
        v -> {
          Map<String, Learned> created = new HashMap<>(v.created());
          created.remove(name);
          Map<String, Instant> removed = new HashMap<>(v.removed());
          removed.put(name, now);
          return build(v.snapshot(), created, removed, v.mounted());
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
    view.updateAndGet(
        v -> {
          Map<String, Arrived> mounted = new HashMap<>(v.mounted());
          mounted.put(datasetId, new Arrived(path, now));
          return build(v.snapshot(), v.created(), v.removed(), mounted);
        });
  }

  @Override
  public Optional<Volume> get(String name) {
    View v = view.get();
    DatasetConfiguration d = v.byName().get(name);
    return d == null ? Optional.empty() : Optional.of(volume(v.localPaths(), v.holders(), d,
        true));
  }

  @Override
  public List<Volume> list() {
    return view.get().list();
  }

  @Override
  public byte[] listJson() {
    View v = view.get();
    return v.listBody().of(v.list());
  }

  @Override
  public String path(String name) {
    View v = view.get();
    DatasetConfiguration d = v.byName().get(name);
    return d == null ? "" : v.localPaths().getOrDefault(d.datasetId(), "");
  }

  private View build(FlockerSnapshot s, Map<String, Learned> created,
      Map<String, Instant> removed, Map<String, Arrived> mounted) {
    // indexed once per poll so that Get and a List of 10k volumes stay O(1) per volume
    Map<String, String> localPaths = new HashMap<>();
    // a path outside the root is never a Mountpoint (Mount refuses it with an Err that says why)
    s.states().stream().filter(st -> st.isManifestOn(selfUuid))
        .filter(st -> Mountpoints.valid(datasetRoot, st.path()))
        .forEach(st -> localPaths.put(st.datasetId(), st.path()));
    Map<String, String> holders = new HashMap<>();
    s.leases().forEach(l -> holders.put(l.datasetId(), l.nodeUuid()));
    mounted.forEach((datasetId, a) -> {
      localPaths.put(datasetId, a.path());
      holders.put(datasetId, selfUuid);
    });
    Map<String, DatasetConfiguration> byName = new TreeMap<>();
    for (DatasetConfiguration d : s.datasets()) {
      if (d.name() != null && !d.deleted()) {
        byName.putIfAbsent(d.name(), d);
      }
    }
    created.forEach((name, l) -> byName.putIfAbsent(name, l.dataset()));
    removed.keySet().forEach(byName::remove);
    List<Volume> list = new ArrayList<>(byName.size());
    byName.values().forEach(d -> list.add(volume(localPaths, holders, d, false)));
    return new View(s, localPaths, holders, Map.copyOf(byName), Map.copyOf(created),
        Map.copyOf(removed), Map.copyOf(mounted), List.copyOf(list), new ListBody());
  }

  private Volume volume(Map<String, String> localPaths, Map<String, String> holders,
      DatasetConfiguration d, boolean withStatus) {
    String mountpoint = localPaths.getOrDefault(d.datasetId(), "");
    String createdAt = rfc3339(d.metadata().get(CREATED_AT_KEY));
    if (!withStatus) {
      return new Volume(d.name(), mountpoint, createdAt, null);
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("datasetId", d.datasetId());
    status.put("primary", nodes.nameOf(d.primary()));
    status.put("mountedOn", nodes.nameOf(holders.get(d.datasetId())));
    if (d.maximumSize() != null) {
      status.put("sizeBytes", d.maximumSize());
    }
    Optional.ofNullable(d.metadata().get("clusterhq:flocker:profile"))
        .ifPresent(p -> status.put("profile", p));
    return new Volume(d.name(), mountpoint, createdAt, status);
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
