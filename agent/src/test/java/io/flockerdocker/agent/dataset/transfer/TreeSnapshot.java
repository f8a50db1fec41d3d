package io.flockerdocker.agent.dataset.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a transfer must preserve, per relative path: type, mode, owner, size, mtime (ns),
 * symlink target, content hash and hard-link group (named by the group's smallest path). Two
 * trees are identical for the data plane iff their snapshots are equal.
 */
record TreeSnapshot(Map<String, Item> items) {

  record Item(
      char type, int mode, int uid, int gid, long size, long mtimeNs, String target, String sha256,
      String linkGroup) {}

  static TreeSnapshot of(Path root) throws IOException {
    Map<String, PosixMeta.Stat> stats = new TreeMap<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a)
              throws IOException {
            stats.put(rel(root, dir), PosixMeta.stat(dir));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
            stats.put(rel(root, file), PosixMeta.stat(file));
            return FileVisitResult.CONTINUE;
          }
        });
    Map<String, String> groupOfInode = new TreeMap<>();
    Map<String, Item> items = new TreeMap<>();
    for (Map.Entry<String, PosixMeta.Stat> e : stats.entrySet()) {
      PosixMeta.Stat st = e.getValue();
      Path p = root.resolve(e.getKey());
      String group = null;
      if (st.isRegular() && st.nlink() > 1) {
        group = groupOfInode.computeIfAbsent(st.dev() + ":" + st.ino(), k -> e.getKey());
      }
      items.put(
          e.getKey(),
          new Item(
              st.isDir() ? 'd' : st.isSymlink() ? 'l' : st.isRegular() ? 'f' : '?',
              st.meta().mode(), st.meta().uid(), st.meta().gid(),
              st.isDir() ? 0 : st.size(), st.meta().mtimeNs(),
              st.isSymlink() ? Files.readSymbolicLink(p).toString() : null,
              st.isRegular() ? sha256(p) : null,
              group));
    }
    return new TreeSnapshot(items);
  }

  /** The same snapshot without directories (whose mtimes temp files legitimately touch). */
  TreeSnapshot withoutDirectories() {
    Map<String, Item> rest = new TreeMap<>(items);
    rest.values().removeIf(i -> i.type() == 'd');
    return new TreeSnapshot(rest);
  }

  private static String rel(Path root, Path p) {
    return p.equals(root) ? "." : root.relativize(p).toString();
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
