package io.flockerdocker.sim.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The move benchmark's floor: the same files sent through one plain JSSE TLS 1.3 socket (same
 * certificates, AES-GCM) from one dataset root to a directory on the other node, with the same
 * disk reads and writes and an fsync per file, but no manifest, checksums or metadata. What the
 * data plane adds is measured against this.
 */
final class TlsCopyFloor {
  private TlsCopyFloor() {}

  /** Copies the regular files under {@code from} into {@code to}; returns MiB/s. */
  static double copy(Path from, Path to, SSLContext server, SSLContext client) throws Exception {
    List<Path> files;
    try (var walk = Files.walk(from)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    long total = 0;
    try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ss.setNeedClientAuth(true);
      ss.setEnabledProtocols(new String[] {"TLSv1.3"});
      ss.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256"});
      CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> receive(ss, to));
      long t0 = System.nanoTime();
      try (SSLSocket s = (SSLSocket) client.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
        s.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256"});
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        byte[] buf = new byte[1 << 20];
        for (Path f : files) {
          out.writeUTF(from.relativize(f).toString());
          out.writeLong(Files.size(f));
          try (InputStream in = Files.newInputStream(f)) {
            int n;
            while ((n = in.read(buf)) > 0) {
              out.write(buf, 0, n);
              total += n;
            }
          }
        }
        out.writeUTF("");
        out.flush();
        received.get();
      }
      return total / (1024.0 * 1024.0) / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static long receive(SSLServerSocket ss, Path to) {
    try (SSLSocket s = (SSLSocket) ss.accept()) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] buf = new byte[1 << 20];
      long total = 0;
      for (String name = in.readUTF(); !name.isEmpty(); name = in.readUTF()) {
        long size = in.readLong();
        Path p = to.resolve(name);
        Files.createDirectories(p.getParent());
        try (var ch = java.nio.channels.FileChannel.open(p,
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
          for (long left = size; left > 0; ) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
              throw new IOException("stream ended early");
            }
            out.write(buf, 0, n);
            left -= n;
          }
          ch.force(true);
        }
        total += size;
      }
      return total;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
