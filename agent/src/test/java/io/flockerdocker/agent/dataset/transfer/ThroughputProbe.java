package io.flockerdocker.agent.dataset.transfer;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Not a test: measures a whole pull of ~1 GiB of mixed files over the TLS data channel on
 * loopback against the floor, a bare JSSE SSLSocket copy of as many bytes with the same suites.
 * Run: java -cp … ThroughputProbe <work dir> [MiB]
 */
public final class ThroughputProbe {
  private static final String SERVER = TlsRoundTripTest.SERVER;
  private static final String CLIENT = TlsRoundTripTest.CLIENT;

  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Path.of(args[0]));
    long mib = args.length > 1 ? Long.parseLong(args[1]) : 1024;
    Path src = Files.createDirectories(work.resolve("src"));
    long total = mixed(src, mib << 20);
    TransferPki pki = new TransferPki(Files.createDirectories(work.resolve("pki")), "cluster");
    SSLContext serverTls = pki.node("node-" + SERVER);
    SSLContext clientTls = pki.node("node-" + CLIENT);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    for (int round = 0; round < rounds; round++) {
      long n0 = cpuNanos();
      double naive = floor(serverTls, clientTls, total, src, work.resolve("naive"));
      long c0 = cpuNanos();
      StagingCommit.deleteTree(work.resolve("naive"));
      System.out.printf(
          "  naive file-to-file JSSE copy (no metadata, no fsync): %.0f MiB/s, %.1f CPU-s/GiB%n",
          naive, (c0 - n0) / 1e9 / (total / (double) (1L << 30)));
      c0 = cpuNanos();
      double floor = floor(serverTls, clientTls, total, null, null);
      long c1 = cpuNanos();
      Path staging = work.resolve("staging");
      double engine = engine(serverTls, clientTls, src, staging, total);
      long c2 = cpuNanos();
      StagingCommit.deleteTree(staging);
      double gib = total / (double) (1L << 30);
      System.out.printf(
          "round %d: %d MiB  floor (JSSE copy) %.0f MiB/s, %.1f CPU-s/GiB  engine (pull, fsynced)"
              + " %.0f MiB/s, %.1f CPU-s/GiB  = %.0f%%%n",
          round, total >> 20, floor, (c1 - c0) / 1e9 / gib, engine, (c2 - c1) / 1e9 / gib,
          100 * engine / floor);
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double engine(SSLContext serverTls, SSLContext clientTls, Path src, Path staging, long total)
      throws Exception {
    try (TlsDataServer server =
        TlsDataServer.start("127.0.0.1", 0, serverTls, (id, r) -> SourceResolver.Decision.serve(src),
            Duration.ofSeconds(60))) {
      TlsDataClient client = new TlsDataClient(clientTls, CLIENT, Duration.ofSeconds(5), Duration.ofSeconds(60));
      long t0 = System.nanoTime();
      PullResult r = client.pull(new Peer("127.0.0.1", server.port(), SERVER), "ds", staging);
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("  pull: %s%n", r);
      return total / 1048576.0 / s;
    }
  }

  /**
   * The same byte count through a bare SSLSocket pair: write a 1 MiB buffer, read and discard;
   * or, with {@code src}, read every file of src and write them (flat) into {@code dst}.
   */
  private static double floor(SSLContext serverTls, SSLContext clientTls, long total, Path src, Path dst)
      throws Exception {
    try (SSLServerSocket listener =
        (SSLServerSocket) serverTls.getServerSocketFactory().createServerSocket(0)) {
      listener.setEnabledProtocols(DataPlaneTls.PROTOCOLS);
      listener.setEnabledCipherSuites(DataPlaneTls.SUITES);
      listener.setNeedClientAuth(true);
      Thread sender =
          new Thread(
              () -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                  OutputStream out = s.getOutputStream();
                  byte[] buf = new byte[Frames.CHUNK];
                  new Random(1).nextBytes(buf);
                  if (src != null) {
                    sendFiles(src, out, buf);
                  } else {
                    for (long left = total; left > 0; left -= buf.length) {
                      out.write(buf, 0, (int) Math.min(left, buf.length));
                    }
                  }
                  out.flush();
                  s.getInputStream().read(); // wait for the reader's close
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      sender.start();
      try (SSLSocket s =
          (SSLSocket) clientTls.getSocketFactory().createSocket("127.0.0.1", listener.getLocalPort())) {
        DataPlaneTls.configure(s);
        s.startHandshake();
        System.out.println("  suite: " + s.getSession().getCipherSuite());
        long t0 = System.nanoTime();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[Frames.CHUNK];
        if (dst != null) {
          receiveFiles(in, dst, buf);
        } else {
          long got = 0;
          while (got < total) {
            got += in.read(buf);
          }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return total / 1048576.0 / secs;
      } finally {
        sender.join();
      }
    }
  }

  private static void sendFiles(Path src, OutputStream out, byte[] buf) throws java.io.IOException {
    java.io.DataOutputStream data = new java.io.DataOutputStream(out);
    try (java.util.stream.Stream<Path> files = Files.walk(src)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        data.writeLong(Files.size(f));
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
          java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf);
          for (int n; (n = ch.read(bb.clear())) > 0; ) {
            data.write(buf, 0, n);
          }
        }
      }
    }
    data.writeLong(-1);
    data.flush();
  }

  private static void receiveFiles(InputStream in, Path dst, byte[] buf) throws java.io.IOException {
    Files.createDirectories(dst);
    java.io.DataInputStream data = new java.io.DataInputStream(in);
    for (int i = 0; ; i++) {
      long size = data.readLong();
      if (size < 0) {
        return;
      }
      try (java.nio.channels.FileChannel ch =
          java.nio.channels.FileChannel.open(
              dst.resolve("f" + i), java.nio.file.StandardOpenOption.CREATE_NEW,
              java.nio.file.StandardOpenOption.WRITE)) {
        for (long left = size; left > 0; ) {
          int n = in.read(buf, 0, (int) Math.min(left, buf.length));
          ch.write(java.nio.ByteBuffer.wrap(buf, 0, n));
          left -= n;
        }
      }
    }
  }

  /** ~{@code bytes} of random content: 4 files of 1/8 each, the other half in 256 KiB files. */
  private static long mixed(Path src, long bytes) throws Exception {
    Random random = new Random(7);
    byte[] buf = new byte[1 << 20];
    long total = 0;
    for (int i = 0; i < 4; i++) {
      try (OutputStream out = Files.newOutputStream(src.resolve("big-" + i))) {
        for (long left = bytes / 8; left > 0; left -= buf.length) {
          random.nextBytes(buf);
          out.write(buf, 0, (int) Math.min(left, buf.length));
          total += Math.min(left, buf.length);
        }
      }
    }
    Path small = Files.createDirectories(src.resolve("small"));
    byte[] piece = new byte[256 << 10];
    for (int i = 0; total < bytes; i++) {
      random.nextBytes(piece);
      Files.write(small.resolve("s" + i), piece);
      total += piece.length;
    }
    return total;
  }
}
