package io.flockerdocker.agent.dataset.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Owner, permission bits (07777, set-id and sticky included) and mtime in ns of one entry, read
 * and applied without following symlinks. Applied in the only safe order: chown (which clears
 * set-id bits), then chmod, then times.
 */
record PosixMeta(int mode, int uid, int gid, long mtimeNs) {
  static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /** lstat(2) as the JDK exposes it; never "unix:*", which resolves user names. */
  record Stat(PosixMeta meta, int fileMode, long size, long dev, long ino, int nlink) {
    boolean isDir() {
      return (fileMode & 0170000) == 0040000;
    }

    boolean isRegular() {
      return (fileMode & 0170000) == 0100000;
    }

    boolean isSymlink() {
      return (fileMode & 0170000) == 0120000;
    }
  }

  static Stat stat(Path p) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(p, "unix:mode,uid,gid,ino,dev,nlink,size,lastModifiedTime", NOFOLLOW);
    int fileMode = (Integer) a.get("mode");
    long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
    PosixMeta meta = new PosixMeta(fileMode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"), mtime);
    return new Stat(
        meta, fileMode, (Long) a.get("size"), (Long) a.get("dev"), (Long) a.get("ino"),
        (Integer) a.get("nlink"));
  }

  /** chown, chmod (not for symlinks: Linux has no lchmod), then mtime (atime set to the same). */
  void apply(Path p, boolean symlink) throws IOException {
    Files.setAttribute(p, "unix:uid", uid, NOFOLLOW);
    Files.setAttribute(p, "unix:gid", gid, NOFOLLOW);
    if (!symlink) {
      Files.setAttribute(p, "unix:mode", mode, NOFOLLOW);
    }
    setMtime(p);
  }

  void setMtime(Path p) throws IOException {
    FileTime t = FileTime.from(mtimeNs, TimeUnit.NANOSECONDS);
    Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW).setTimes(t, t, null);
  }
}
