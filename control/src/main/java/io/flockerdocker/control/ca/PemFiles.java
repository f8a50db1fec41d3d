package io.flockerdocker.control.ca;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * Writes PEM files that never replace an existing one (CREATE_NEW) and, for private keys, are
 * created 0600 in the same system call: there is no moment when another user could read a key.
 */
final class PemFiles {
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<Set<PosixFilePermission>> WORLD_READABLE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));

  private PemFiles() {}

  /** Fails before anything is written when one of {@code files} exists already. */
  static void refuseExisting(List<Path> files) throws FileAlreadyExistsException {
    for (Path f : files) {
      if (Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException(f.toString());
      }
    }
  }

  static void writeKey(Path file, Object key) throws IOException {
    write(file, key, OWNER_ONLY);
  }

  static void writeCertificate(Path file, Object certificate) throws IOException {
    write(file, certificate, WORLD_READABLE);
  }

  private static void write(Path file, Object pemObject,
      FileAttribute<Set<PosixFilePermission>> mode) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(file,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode));
        Writer w = new OutputStreamWriter(out, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(pemObject);
    }
  }
}
