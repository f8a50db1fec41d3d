package io.flockerdocker.control;

import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.util.List;

/** Builds report bodies for tests: a host on 127.0.0.1 with the directory backend. */
final class Reports {
  private Reports() {}

  static String report(String uuid, long epoch, long seq, ReportedDataset... datasets) {
    return Json.write(
        new NodeReport(uuid, "127.0.0.1", 4524, "directory", epoch, seq, List.of(datasets)));
  }

  static ReportedDataset manifest(String id, long generation) {
    return new ReportedDataset(id, ReportedDataset.MANIFEST, "/flocker/" + id, generation, null,
        null);
  }

  static ReportedDataset sealed(String id, long generation) {
    return new ReportedDataset(id, ReportedDataset.SEALED, "/flocker/" + id, generation, null,
        null);
  }

  static ReportedDataset receiving(String id, long generation) {
    return new ReportedDataset(id, ReportedDataset.RECEIVING, null, generation, null, null);
  }
}
