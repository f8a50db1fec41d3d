package io.flockerdocker.agent.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.flockerdocker.agent.dataset.LocalCopy.State;
import io.flockerdocker.agent.dataset.transfer.Peer;
import io.flockerdocker.agent.dataset.transfer.SourceResolver;
import io.flockerdocker.agent.dataset.transfer.TlsDataClient;
import io.flockerdocker.agent.dataset.transfer.TlsDataServer;
import io.flockerdocker.agent.dataset.transfer.TransferException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory backend's layout, crash safety, incremental retries and replica budget. */
class DirectoryBackendTest {
  static final String A = "00000000-0000-4000-8000-00000000000a";
  static final String ID = "d0000000-0000-4000-8000-000000000001";
  static final String B = "00000000-0000-4000-8000-00000000000b";
  @TempDir Path hostA;
  @TempDir Path hostB;
  /** A tmpfs this test mounted, unmounted after it whatever happened. */
  Path mounted;

  @AfterEach
  void unmount() throws Exception {
    if (mounted != null) {
      Result r = run("umount", mounted.toString());
      if (r.rc() != 0) {
        Result lazy = run("umount", "-l", mounted.toString()); // no mount may outlive the test
        throw new IOException("umount " + mounted + " failed: " + r + "; lazy: " + lazy);
      }
    }
  }

  DirectoryBackend backend(Path root, long budget) {
    return new DirectoryBackend(root, budget, Clock.systemUTC());
  }

  Step.Pull pullFromA(long sourceGeneration) {
    return new Step.Pull(ID, new Peer("127.0.0.1", 4524, A), sourceGeneration,
        sourceGeneration + 1);
  }

  @Test
  void createSealUnsealSurviveARestart() throws Exception {
    DirectoryBackend b = backend(hostA, 0);
    b.scan();
    assertThat(b.create(ID)).isEqualTo(new LocalCopy(ID, State.MANIFEST, 1, hostA.resolve(ID)));
    Files.writeString(hostA.resolve(ID).resolve("file"), "fish");
    assertThat(b.seal(ID).state()).isEqualTo(State.SEALED);
    assertThat(backend(hostA, 0).scan()).containsEntry(ID,
        new LocalCopy(ID, State.SEALED, 1, hostA.resolve(ID)));
    assertThat(b.unseal(ID, 3).generation()).isEqualTo(3);
    assertThat(backend(hostA, 0).scan().get(ID).state()).isEqualTo(State.MANIFEST);
    assertThat(Files.readString(hostA.resolve(".meta").resolve(ID + ".json")))
        .contains("\"generation\":3").contains("\"sealed\":false");
  }

  @Test
  void pullInstallsTheCopyWithTheNextGeneration() throws Exception {
    DirectoryBackend a = backend(hostA, 0);
    a.scan();
    a.create(ID);
    Files.writeString(hostA.resolve(ID).resolve("file"), "fish");
    a.seal(ID);
    DirectoryBackend b = backend(hostB, 1 << 20);
    b.scan();
    LocalCopyClient client = new LocalCopyClient().host(A, hostA);
    DatasetBackend.Pulled pulled = b.pull(pullFromA(1), client);
    assertThat(pulled.copy()).isEqualTo(new LocalCopy(ID, State.MANIFEST, 2, hostB.resolve(ID)));
    assertThat(Files.readString(hostB.resolve(ID).resolve("file"))).isEqualTo("fish");
    assertThat(hostB.resolve(".staging").resolve(ID)).doesNotExist();
    assertThat(backend(hostB, 1 << 20).scan().get(ID)).isEqualTo(pulled.copy());
  }

  @Test
  void aFailedPullBecomesTheReplicaAndTheRetryIsIncremental() throws Exception {
    DirectoryBackend a = backend(hostA, 0);
    a.scan();
    a.create(ID);
    Files.writeString(hostA.resolve(ID).resolve("a"), "one");
    Files.writeString(hostA.resolve(ID).resolve("b"), "two");
    a.seal(ID);
    DirectoryBackend b = backend(hostB, 1 << 20);
    b.scan();
    LocalCopyClient client = new LocalCopyClient().host(A, hostA);
    client.failNext(1);
    TransferException e = catchThrowableOfType(() -> b.pull(pullFromA(1), client),
        TransferException.class);
    assertThat(e.kind()).isEqualTo(TransferException.Kind.UNREACHABLE);
    assertThat(hostB.resolve(ID)).doesNotExist();
    assertThat(hostB.resolve(".replicas").resolve(ID).resolve("a")).exists();
    assertThat(backend(hostB, 1 << 20).scan()).containsEntry(ID,
        new LocalCopy(ID, State.REPLICA, 0, hostB.resolve(".replicas").resolve(ID)));

    DatasetBackend.Pulled retry = b.pull(pullFromA(1), client);
    assertThat(retry.result().filesKept()).isEqualTo(1);
    assertThat(retry.result().filesSent()).isEqualTo(1);
    assertThat(hostB.resolve(".replicas").resolve(ID)).doesNotExist();
  }

  @Test
  void scanCleansUpAfterACrash() throws Exception {
    DirectoryBackend b = backend(hostB, 1 << 20);
    b.scan();
    // a pull cut short, a meta written before a rename that never happened, a torn temp file
    Files.createDirectories(hostB.resolve(".staging").resolve(ID));
    Files.writeString(hostB.resolve(".staging").resolve(ID).resolve("part"), "x");
    String other = "d0000000-0000-4000-8000-000000000002";
    Files.writeString(hostB.resolve(".meta").resolve(other + ".json"),
        "{\"generation\":4,\"sealed\":false}");
    Files.writeString(hostB.resolve(".meta").resolve(other + ".json.tmp"), "{\"gener");
    Files.createDirectories(hostB.resolve("stray"));

    Map<String, LocalCopy> copies = backend(hostB, 1 << 20).scan();
    assertThat(copies).containsOnlyKeys(ID);
    assertThat(copies.get(ID).state()).isEqualTo(State.REPLICA);
    assertThat(hostB.resolve(".staging").resolve(ID)).doesNotExist();
    assertThat(hostB.resolve(".meta").resolve(other + ".json")).doesNotExist();
    assertThat(hostB.resolve(".meta").resolve(other + ".json.tmp")).doesNotExist();
    assertThat(hostB.resolve("stray")).exists(); // unknown data is never deleted
  }

  @Test
  void demoteKeepsAReplicaAndTheOldestIsEvictedBeyondTheBudget() throws Exception {
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override public Instant instant() {
        return now[0];
      }
    };
    DirectoryBackend b = new DirectoryBackend(hostB, 12, clock);
    b.scan();
    String older = "d0000000-0000-4000-8000-000000000002";
    for (String id : new String[] {older, ID}) {
      b.create(id);
      Files.writeString(hostB.resolve(id).resolve("data"), "12345678");
      b.seal(id);
      b.demote(id);
      now[0] = now[0].plusSeconds(60);
    }
    assertThat(hostB.resolve(".replicas").resolve(ID)).exists();
    assertThat(hostB.resolve(".replicas").resolve(older)).doesNotExist();
    assertThat(hostB.resolve(".meta").resolve(ID + ".json")).doesNotExist();
  }

  @Test
  void destroyRemovesCopyReplicaAndMeta() throws Exception {
    DirectoryBackend b = backend(hostB, 1 << 20);
    b.scan();
    b.create(ID);
    b.seal(ID);
    b.demote(ID);
    b.create(ID);
    b.destroy(ID);
    assertThat(hostB.resolve(ID)).doesNotExist();
    assertThat(hostB.resolve(".replicas").resolve(ID)).doesNotExist();
    assertThat(hostB.resolve(".meta").resolve(ID + ".json")).doesNotExist();
    assertThat(backend(hostB, 1 << 20).scan()).isEmpty();
  }

  @Test
  void aPullThatFillsTheDiskIsNotInstalledAndTheRetryInstallsItOnceThereIsRoom()
      throws Exception {
    Assumptions.assumeTrue(
        ((Integer) Files.getAttribute(Files.createFile(hostB.resolve("uid-probe")), "unix:uid"))
            == 0, "mounting a tmpfs needs root");
    Assumptions.assumeTrue(onPath("mount") && onPath("umount"), "no mount(8) on PATH");
    Path small = Files.createDirectory(hostB.resolve("small"));
    Result m = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small.toString());
    if (m.rc() != 0) {
      // root without CAP_SYS_ADMIN (an unprivileged container): mount is unavailable, skip
      String out = m.output().toLowerCase(Locale.ROOT);
      Assumptions.assumeFalse(out.contains("permission denied") || out.contains("not permitted")
          || out.contains("must be superuser"), "mount refused: " + m);
      throw new IOException("mount tmpfs failed: " + m);
    }
    mounted = small;

    DirectoryBackend a = backend(hostA, 0);
    a.scan();
    a.create(ID);
    Random random = new Random(11);
    byte[] data = new byte[(1 << 20) + 4099];
    for (int i = 0; i < 12; i++) { // 12 MiB for a 4 MiB disk
      random.nextBytes(data);
      Files.write(hostA.resolve(ID).resolve("f" + i), data);
    }
    a.seal(ID);
    Map<String, String> source = contents(hostA.resolve(ID));
    DirectoryBackend b = backend(small, 1 << 20);
    b.scan();
    // the real client and server, plain TCP (allowed on loopback only): TLS is DiskFullTest's
    try (TlsDataServer server = TlsDataServer.start("127.0.0.1", 0, null,
        (id, requester) -> id.equals(ID) ? SourceResolver.Decision.serve(hostA.resolve(ID))
            : SourceResolver.Decision.refuse("not held"), Duration.ofSeconds(20))) {
      TlsDataClient client =
          new TlsDataClient(null, B, Duration.ofSeconds(5), Duration.ofSeconds(20));
      Step.Pull pull = new Step.Pull(ID, new Peer("127.0.0.1", server.port(), A), 1, 2);

      TransferException e = catchThrowableOfType(() -> b.pull(pull, client),
          TransferException.class);

      assertThat(e).isNotNull();
      assertThat(e.kind()).as(e.toString()).isEqualTo(TransferException.Kind.NO_SPACE);
      assertThat(small.resolve(ID)).doesNotExist();
      assertThat(small.resolve(".meta").resolve(ID + ".json")).doesNotExist();
      assertThat(small.resolve(".staging").resolve(ID)).doesNotExist();
      assertThat(small.resolve(".replicas").resolve(ID)).isDirectory();
      assertThat(backend(small, 1 << 20).scan()).containsEntry(ID,
          new LocalCopy(ID, State.REPLICA, 0, small.resolve(".replicas").resolve(ID)));
      assertThat(contents(hostA.resolve(ID))).as("the source is untouched")
          .containsExactlyInAnyOrderEntriesOf(source);

      Result grow = run("mount", "-o", "remount,size=64m", small.toString());
      assertThat(grow.rc()).as(grow.toString()).isZero();
      DatasetBackend.Pulled pulled = b.pull(pull, client);

      assertThat(pulled.copy()).isEqualTo(new LocalCopy(ID, State.MANIFEST, 2, small.resolve(ID)));
      assertThat(contents(small.resolve(ID))).containsExactlyInAnyOrderEntriesOf(source);
      assertThat(small.resolve(".replicas").resolve(ID)).doesNotExist();
      assertThat(small.resolve(".staging").resolve(ID)).doesNotExist();
      assertThat(backend(small, 1 << 20).scan().get(ID)).isEqualTo(pulled.copy());
    }
  }

  /** Every file of the flat directory {@code dir} by name, with the SHA-256 of its bytes. */
  static Map<String, String> contents(Path dir) throws Exception {
    Map<String, String> all = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        all.put(f.getFileName().toString(), java.util.HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
      }
    }
    return all;
  }

  static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null && Stream.of(path.split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  record Result(int rc, String output) {}

  static Result run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish in 30 s");
    }
    return new Result(p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
