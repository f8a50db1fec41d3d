package io.flockerdocker.agent.dataset.transfer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a source directory (pre-order, names sorted, symlinks never followed) and writes it as a
 * stream: each directory before its children, a hard-link group's first path as a file and the
 * rest as {@code hardlink}s to it, {@code keep} for files the receiver's have-list already matches.
 * Before the trailer it asks {@code stillAllowed} again and aborts if the copy is no longer served.
 */
final class TreeSender {
  private static final Logger log = LoggerFactory.getLogger(TreeSender.class);

  /** What one completed send did. */
  record Sent(long entries, long filesSent, long filesKept, long dataBytes, long streamBytes) {}

  private final Path root;
  private final Map<String, HaveEntry> have;
  private final StreamOut out;
  private final Supplier<SourceResolver.Decision> stillAllowed;
  private final FileContentSender content = new FileContentSender();
  private final Map<String, String> firstOfInode = new HashMap<>();
  private long entries;
  private long filesSent;
  private long filesKept;
  private long dataBytes;

  TreeSender(
      Path root,
      Map<String, HaveEntry> have,
      StreamOut out,
      Supplier<SourceResolver.Decision> stillAllowed) {
    this.root = root;
    this.have = have;
    this.out = out;
    this.stillAllowed = stillAllowed;
  }

  Sent send() throws TransferException {
    PosixMeta.Stat st = stat(root, SafeNames.ROOT);
    if (!st.isDir()) {
      throw new TransferException(TransferException.Kind.LOCAL_IO, "source is not a directory");
    }
    emit(EntryHeader.of(EntryHeader.DIR, SafeNames.ROOT, st.meta(), 0, null));
    walk(root, SafeNames.ROOT);
    SourceResolver.Decision decision = stillAllowed.get();
    if (!decision.allowed()) {
      out.abort("no longer allowed: " + decision.refusal());
      throw new TransferException(
          TransferException.Kind.REFUSED, "copy withdrawn mid-stream: " + decision.refusal());
    }
    out.trailer(entries);
    return new Sent(entries, filesSent, filesKept, dataBytes, out.bytes());
  }

  private void walk(Path dir, String rel) throws TransferException {
    for (Path child : sortedChildren(dir, rel)) {
      String path = SafeNames.child(rel, child.getFileName().toString());
      PosixMeta.Stat st = stat(child, path);
      if (st.isDir()) {
        emit(EntryHeader.of(EntryHeader.DIR, path, st.meta(), 0, null));
        walk(child, path);
      } else if (st.isSymlink()) {
        emit(EntryHeader.of(EntryHeader.SYMLINK, path, st.meta(), 0, readLink(child, path)));
      } else if (st.isRegular()) {
        regular(child, path, st);
      } else {
        // devices, FIFOs and sockets are not data; a dataset that holds one loses it, loudly
        log.warn("skipping special file [{}] (mode {})", path, Integer.toOctalString(st.fileMode()));
      }
    }
  }

  private void regular(Path file, String path, PosixMeta.Stat st) throws TransferException {
    if (st.nlink() > 1) {
      String first = firstOfInode.putIfAbsent(st.dev() + ":" + st.ino(), path);
      if (first != null) {
        emit(EntryHeader.of(EntryHeader.HARDLINK, path, st.meta(), 0, first));
        return;
      }
    }
    HaveEntry theirs = have.get(path);
    if (theirs != null && theirs.size() == st.size() && theirs.mtimeNs() == st.meta().mtimeNs()) {
      emit(EntryHeader.of(EntryHeader.KEEP, path, st.meta(), st.size(), null));
      filesKept++;
      return;
    }
    emit(EntryHeader.of(EntryHeader.FILE, path, st.meta(), st.size(), null));
    dataBytes += content.send(file, path, st.size(), out);
    filesSent++;
  }

  private void emit(EntryHeader header) throws TransferException {
    out.entry(header);
    entries++;
  }

  private static List<Path> sortedChildren(Path dir, String rel) throws TransferException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    } catch (IOException e) {
      throw LocalIo.failure("cannot list source directory " + rel, e);
    }
    children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    return children;
  }

  private static PosixMeta.Stat stat(Path p, String rel) throws TransferException {
    try {
      return PosixMeta.stat(p);
    } catch (IOException e) {
      throw LocalIo.failure("cannot stat source entry " + rel, e);
    }
  }

  private static String readLink(Path p, String rel) throws TransferException {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (IOException e) {
      throw LocalIo.failure("cannot read source symlink " + rel, e);
    }
  }
}
