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
    headline.put("loadavg_at_start", loadavg());
  }

  /** The 1/5/15-minute load averages: on a shared 2-core box, context for every number. */
  static String loadavg() {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
          .split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  Report put(String key, Object value) {
    headline.put(key, value instanceof Double d ? Latencies.round(d) : value);
    return this;
  }

  /** True once {@code key} has a headline value (null counts). */
  boolean has(String key) {
    return headline.containsKey(key);
  }

  /** Adds a row to table {@code table}; the row's first column is its label. */
  Report row(String table, String label, Map<String, Object> values) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", label);
    row.putAll(values);
    tables.computeIfAbsent(table, t -> new ArrayList<>()).add(row);
    return this;
  }

  void print(PrintStream out, boolean json) {
    headline.put("loadavg_at_end", loadavg());
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
