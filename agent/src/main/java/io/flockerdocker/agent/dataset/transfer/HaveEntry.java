package io.flockerdocker.agent.dataset.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * One regular file of the receiver's stale copy as the quick check sees it: relative path, size,
 * mtime in ns. On the wire one JSON line {@code [path, size, mtime_ns]}.
 */
record HaveEntry(String path, long size, long mtimeNs) {

  /** The regular files below {@code staging} (symlinks not followed); empty if it is absent. */
  static List<HaveEntry> scan(Path staging) throws IOException {
    List<HaveEntry> have = new ArrayList<>();
    if (!Files.isDirectory(staging, PosixMeta.NOFOLLOW)) {
      return have;
    }
    Files.walkFileTree(
        staging,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            if (attrs.isRegularFile()) {
              PosixMeta.Stat st = PosixMeta.stat(file);
              String rel = staging.relativize(file).toString();
              have.add(new HaveEntry(rel, st.size(), st.meta().mtimeNs()));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return have;
  }

  String toLine() {
    ArrayNode line = Frames.JSON.createArrayNode();
    line.add(path).add(size).add(mtimeNs);
    return line.toString();
  }

  /** Parses one line; null for anything that is not {@code [string, number, number]}. */
  static HaveEntry parse(String line) {
    try {
      JsonNode node = Frames.JSON.readTree(line);
      if (node == null || !node.isArray() || node.size() != 3
          || !node.get(0).isTextual() || !node.get(1).canConvertToLong()
          || !node.get(2).canConvertToLong()) {
        return null;
      }
      return new HaveEntry(node.get(0).asText(), node.get(1).asLong(), node.get(2).asLong());
    } catch (IOException e) {
      return null;
    }
  }
}
