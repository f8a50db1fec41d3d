package io.flockerdocker.agent.catalog;

import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.docker.Volume;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Renders List replies, {@code {"Volumes":[...],"Err":""}}, from each volume's entry serialised
 * once and kept while its dataset (the same object: a snapshot shares every dataset a change did
 * not touch) and its Mountpoint stay the same. With 100,000 volumes a render after a few changes
 * concatenates bytes instead of serialising and checking 100,000 entries (about 200 ms warm,
 * measured), so a List after a change costs little more than one before it.
 */
final class ListEntries {
  private static final byte[] HEAD = "{\"Volumes\":[".getBytes(StandardCharsets.UTF_8);
  private static final byte[] TAIL = "],\"Err\":\"\"}".getBytes(StandardCharsets.UTF_8);

  private record Entry(DatasetConfiguration dataset, String mountpoint, byte[] json) {}

  /**
   * Entries by dataset id, as last rendered. Kept across renders and pruned only when it has
   * grown to twice the volumes (a removed volume's entry lingers until then), so a render does
   * not rebuild a map of every volume.
   */
  private Map<String, Entry> entries = new HashMap<>();

  /**
   * The reply for {@code datasets} (in List order), each shown with {@code mountpoint(d)} and
   * serialised as {@code volume(d, mountpoint)} when it was not in the last render as it is now.
   */
  synchronized byte[] render(List<DatasetConfiguration> datasets,
      Function<DatasetConfiguration, String> mountpoint,
      BiFunction<DatasetConfiguration, String, Volume> volume) {
    if (entries.size() > 2 * datasets.size() + 1024) {
      entries = new HashMap<>();
    }
    byte[][] parts = new byte[datasets.size()][];
    int length = HEAD.length + TAIL.length + Math.max(0, datasets.size() - 1);
    int i = 0;
    for (DatasetConfiguration d : datasets) {
      String where = mountpoint.apply(d);
      Entry e = entries.get(d.datasetId());
      if (e == null || e.dataset() != d || !e.mountpoint().equals(where)) {
        e = new Entry(d, where, Json.writeBytes(volume.apply(d, where)));
        entries.put(d.datasetId(), e);
      }
      parts[i++] = e.json();
      length += e.json().length;
    }
    byte[] out = new byte[length];
    int at = copy(HEAD, out, 0);
    for (int k = 0; k < parts.length; k++) {
      if (k > 0) {
        out[at++] = ',';
      }
      at = copy(parts[k], out, at);
    }
    copy(TAIL, out, at);
    return out;
  }

  private static int copy(byte[] from, byte[] to, int at) {
    System.arraycopy(from, 0, to, at, from.length);
    return at + from.length;
  }
}
