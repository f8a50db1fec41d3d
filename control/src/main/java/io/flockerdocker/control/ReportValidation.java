package io.flockerdocker.control;

import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a {@code PUT /v1/state/nodes/{uuid}} body into a trusted {@link NodeReport}, or says in
 * one line why not (a 400). UUIDs come back lower-cased, as Flocker stores them, so one host
 * cannot appear twice under two spellings.
 */
final class ReportValidation {
  private static final Set<String> STATES =
      Set.of(ReportedDataset.MANIFEST, ReportedDataset.SEALED, ReportedDataset.RECEIVING);

  /** A report the control service refuses (400); the message is for the agent's log. */
  static final class InvalidReportException extends Exception {
    InvalidReportException(String message) {
      super(message);
    }
  }

  private ReportValidation() {}

  static NodeReport parse(String pathUuid, byte[] body) throws InvalidReportException {
    NodeReport r;
    try {
      r = Json.read(body, NodeReport.class);
    } catch (ProtocolException e) {
      throw new InvalidReportException("malformed report: " + e.getMessage());
    }
    String uuid = uuid("uuid", r.uuid());
    if (!uuid.equals(pathUuid)) {
      throw new InvalidReportException(
          "report uuid " + uuid + " does not match the path's " + pathUuid);
    }
    if (r.host() == null || r.host().isBlank()) {
      throw new InvalidReportException("host must not be empty");
    }
    if (r.backend() == null || r.backend().isBlank()) {
      throw new InvalidReportException("backend must not be empty");
    }
    if (r.dataPort() < 0 || r.dataPort() > 65535) {
      throw new InvalidReportException("data_port out of range: " + r.dataPort());
    }
    if (r.epoch() < 0 || r.seq() < 0) {
      throw new InvalidReportException("epoch and seq must not be negative");
    }
    Set<String> seen = new HashSet<>();
    List<ReportedDataset> datasets = new java.util.ArrayList<>(r.datasets().size());
    for (ReportedDataset d : r.datasets()) {
      ReportedDataset checked = dataset(d);
      if (!seen.add(checked.datasetId())) {
        throw new InvalidReportException("dataset " + checked.datasetId() + " reported twice");
      }
      datasets.add(checked);
    }
    return new NodeReport(uuid, r.host(), r.dataPort(), r.backend(), r.epoch(), r.seq(), datasets);
  }

  /** The path segment as a lower-case v4 UUID, or a 400. */
  static String pathUuid(String raw) throws InvalidReportException {
    return uuid("path uuid", raw);
  }

  private static ReportedDataset dataset(ReportedDataset d) throws InvalidReportException {
    String id = uuid("dataset_id", d.datasetId());
    if (d.state() == null || !STATES.contains(d.state())) {
      throw new InvalidReportException("dataset " + id + ": state must be one of " + STATES);
    }
    if (d.generation() < 0) {
      throw new InvalidReportException("dataset " + id + ": negative generation");
    }
    if (d.maximumSize() != null && d.maximumSize() < 0) {
      throw new InvalidReportException("dataset " + id + ": negative maximum_size");
    }
    // a manifest copy is where the plugin mounts from: without an absolute path it is unusable
    if (ReportedDataset.MANIFEST.equals(d.state()) && d.path() == null) {
      throw new InvalidReportException("dataset " + id + ": a manifest copy needs a path");
    }
    if (d.path() != null && !isAbsolute(d.path())) {
      throw new InvalidReportException("dataset " + id + ": path is not absolute: " + d.path());
    }
    return new ReportedDataset(id, d.state(), d.path(), d.generation(), d.maximumSize(),
        d.error());
  }

  private static boolean isAbsolute(String path) {
    // a POSIX path as the agent's host sees it, whatever this JVM's file system is
    return path.startsWith("/") && path.indexOf('\0') < 0;
  }

  private static String uuid(String field, String value) throws InvalidReportException {
    if (value == null || !Schema.UUID_V4.matcher(value).matches()) {
      throw new InvalidReportException(field + " is not a version-4 UUID: " + value);
    }
    return value.toLowerCase(Locale.ROOT);
  }
}
