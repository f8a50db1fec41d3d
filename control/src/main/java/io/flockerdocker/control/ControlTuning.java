package io.flockerdocker.control;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The control service's settings from config ({@code flocker-control} in reference.conf), read
 * once at start: whether the API extensions of docs/control-api-extensions.md are on, the watch's
 * limits, and how many journaled changes trigger a new configuration snapshot.
 */
record ControlTuning(boolean extensions, int maxWatchers, Duration defaultWatchTimeout,
    Duration maxWatchTimeout, int snapshotEvery, int changesKept, int changesMaxBatch) {

  static ControlTuning create(Config config) {
    Config c = config.getConfig("flocker-control");
    ControlTuning t = new ControlTuning(c.getBoolean("extensions"),
        c.getInt("watch.max-watchers"), c.getDuration("watch.default-timeout"),
        c.getDuration("watch.max-timeout"), c.getInt("journal.snapshot-every"),
        c.getInt("changes.kept"), c.getInt("changes.max-batch"));
    if (t.maxWatchers < 1 || t.snapshotEvery < 1 || t.changesKept < 1 || t.changesMaxBatch < 1
        || t.defaultWatchTimeout.compareTo(t.maxWatchTimeout) > 0) {
      throw new IllegalArgumentException("flocker-control: max-watchers, snapshot-every and "
          + "changes.* must be >= 1 and default-timeout <= max-timeout: " + t);
    }
    return t;
  }
}
