package io.flockerdocker.agent.plugin;

import io.flockerdocker.agent.catalog.VolumeView;
import io.flockerdocker.protocol.docker.Volume;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A VolumeView for route and server tests: volumes and local paths in maps, plus counters of
 * the learn calls so a test can tell that a rejected request left the view untouched.
 */
final class InMemoryVolumeView implements VolumeView {
  private final Map<String, Volume> volumes = new ConcurrentSkipListMap<>();
  private final Map<String, String> paths = new ConcurrentHashMap<>();
  final AtomicInteger learned = new AtomicInteger();
  /** When set, every get throws it: an unexpected failure inside a route. */
  volatile RuntimeException failGets;

  /** Seeds a volume, as the StateWatcher would; {@code path} "" when not mounted here. */
  InMemoryVolumeView put(String name, String datasetId, String path) {
    volumes.put(name, new Volume(name, path, "2026-11-24T23:09:00Z",
        Map.of("datasetId", datasetId)));
    if (!path.isEmpty()) {
      paths.put(name, path);
    }
    return this;
  }

  /** Seeds a volume another node held at the last poll (its status names that node). */
  InMemoryVolumeView putMountedOn(String name, String datasetId, String holder) {
    volumes.put(name, new Volume(name, "", "2026-11-24T23:09:00Z",
        Map.of("datasetId", datasetId, "mountedOn", holder)));
    return this;
  }

  @Override
  public Optional<Volume> get(String name) {
    if (failGets != null) {
      throw failGets;
    }
    return Optional.ofNullable(volumes.get(name));
  }

  @Override
  public List<Volume> list() {
    return new ArrayList<>(volumes.values());
  }

  @Override
  public String path(String name) {
    return paths.getOrDefault(name, "");
  }

  @Override
  public void learnCreated(DatasetConfiguration dataset) {
    learned.incrementAndGet();
    volumes.put(dataset.name(), new Volume(dataset.name(), "", null,
        Map.of("datasetId", dataset.datasetId())));
  }

  @Override
  public void learnMounted(String datasetId, String path) {
    learned.incrementAndGet();
    volumes.replaceAll((name, v) -> v.status() != null && datasetId.equals(v.status().get("datasetId"))
        ? remember(name, new Volume(name, path, v.createdAt(), v.status()), path) : v);
  }

  private Volume remember(String name, Volume v, String path) {
    paths.put(name, path);
    return v;
  }

  @Override
  public void learnRemoved(String name) {
    learned.incrementAndGet();
    volumes.remove(name);
    paths.remove(name);
  }
}
