package io.flockerdocker.sim.bench;

import io.flockerdocker.protocol.Json;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a suite measured: named tables of rows and a few headline values. Printed as aligned
 * text tables; with --json also as one JSON object on the last stdout line.
 */
final class Report {
  private final String suite;
  private final Map<String, Object> headline = new LinkedHashMap<>();
  private final Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();

  Report(String suite) {
    this.suite = suite;
    headline.put("suite", suite);
    headline.put("date", Instant.now().toString());
    headline.put("nproc", Runtime.getRuntime().availableProcessors());
    headline.put("java", System.getProperty("java.vm.name") + " " + System.getProperty(
        "java.runtime.version"));
  }

  Report put(String key, Object value) {
    headline.put(key, value instanceof Double d ? Latencies.round(d) : value);
    return this;
  }

  /** Adds a row to table {@code table}; the row's first column is its label. */
  Report row(String table, String label, Map<String, Object> values) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put(table.endsWith("s") ? "name" : "name", label);
    row.putAll(values);
    tables.computeIfAbsent(table, t -> new ArrayList<>()).add(row);
    return this;
  }

  void print(PrintStream out, boolean json) {
    out.println("== bench " + suite + " ==");
    for (Map.Entry<String, List<Map<String, Object>>> t : tables.entrySet()) {
      out.println();
      out.println(t.getKey());
      printTable(out, t.getValue());
    }
    out.println();
    headline.forEach((k, v) -> {
      if (!k.equals("suite")) {
        out.println(String.format("%-32s %s", k, v));
      }
    });
    if (json) {
      Map<String, Object> all = new LinkedHashMap<>(headline);
      all.put("tables", tables);
      out.println(Json.write(all));
    }
    out.flush();
  }

  private static void printTable(PrintStream out, List<Map<String, Object>> rows) {
    Set<String> columns = new LinkedHashSet<>();
    rows.forEach(r -> columns.addAll(r.keySet()));
    Map<String, Integer> width = new LinkedHashMap<>();
    for (String c : columns) {
      int w = c.length();
      for (Map<String, Object> r : rows) {
        w = Math.max(w, String.valueOf(r.getOrDefault(c, "")).length());
      }
      width.put(c, w);
    }
    StringBuilder head = new StringBuilder();
    columns.forEach(c -> head.append(String.format("%-" + width.get(c) + "s  ", c)));
    out.println(head.toString().stripTrailing());
    for (Map<String, Object> r : rows) {
      StringBuilder line = new StringBuilder();
      columns.forEach(c -> line.append(String.format("%-" + width.get(c) + "s  ",
          String.valueOf(r.getOrDefault(c, "")))));
      out.println(line.toString().stripTrailing());
    }
  }
}
