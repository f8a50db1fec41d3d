package io.flockerdocker.control;

/**
 * The ETag of every list endpoint, from the stores' revisions (never from hashing a body): O(1)
 * to compute, and each moves whenever its body may (state bodies derive from configuration too).
 * State revisions live in memory, so their tags carry the process's boot id.
 */
final class Versions {
  private final ConfigurationStore configuration;
  private final ReportStore reports;
  private final String boot;

  Versions(ConfigurationStore configuration, ReportStore reports, ChangeNotifier changes) {
    this.configuration = configuration;
    this.reports = reports;
    this.boot = changes.boot();
  }

  String configurationDatasets() {
    return configuration.current().datasetsEtag();
  }

  String configurationLeases() {
    return configuration.current().leasesEtag();
  }

  /** Sizes and the preferred manifest copy come from the configuration's datasets. */
  String stateDatasets() {
    return "\"" + boot + "-s" + reports.contentRevision() + "-"
        + unquoted(configuration.current().datasetsEtag()) + "\"";
  }

  String stateNodes() {
    return "\"" + boot + "-n" + reports.contentRevision() + "\"";
  }

  /** Weak: a heartbeat's new seq does not move it (ReportStore#reportsRevision). */
  String stateReports() {
    return "W/\"" + boot + "-r" + reports.reportsRevision() + "\"";
  }

  private static String unquoted(String etag) {
    return etag.substring(1, etag.length() - 1);
  }
}
