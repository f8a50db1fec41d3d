package io.flockerdocker.agent.dataset.transfer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The JSON header of one stream entry (docs/data-plane.md §4). {@code path} is relative to the
 * dataset root ("." is the root itself); {@code target} is a symlink's target or, for {@code
 * hardlink}, the earlier regular file of this stream it names. Sizes and times are exact (ns).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record EntryHeader(
    @JsonProperty("type") String type,
    @JsonProperty("path") String path,
    @JsonProperty("mode") int mode,
    @JsonProperty("uid") int uid,
    @JsonProperty("gid") int gid,
    @JsonProperty("mtime_ns") long mtimeNs,
    @JsonProperty("size") long size,
    @JsonProperty("target") String target) {

  static final String DIR = "dir";
  static final String FILE = "file";
  static final String SYMLINK = "symlink";
  static final String HARDLINK = "hardlink";
  static final String KEEP = "keep";

  static EntryHeader of(String type, String path, PosixMeta meta, long size, String target) {
    return new EntryHeader(
        type, path, meta.mode(), meta.uid(), meta.gid(), meta.mtimeNs(), size, target);
  }

  PosixMeta meta() {
    return new PosixMeta(mode, uid, gid, mtimeNs);
  }
}
