package io.flockerdocker.agent.dataset.transfer;

import io.flockerdocker.agent.flocker.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;

/**
 * A throwaway cluster CA (made by {@link TestPki}) whose node identities are written as the PEM
 * files a node holds, so that {@link DataPlaneTls#load} is what the transfer tests exercise.
 */
final class TransferPki {
  private final TestPki.Identity ca;
  private final Path dir;

  TransferPki(Path dir, String clusterName) {
    this.dir = dir;
    this.ca = TestPki.ca(clusterName);
  }

  /** An SSLContext for a node whose certificate says CN={@code cn}, loaded from PEM files. */
  SSLContext node(String cn) {
    TestPki.Identity node = TestPki.issue(ca, cn, Instant.now(), Duration.ofDays(1));
    try {
      Path sub = Files.createTempDirectory(dir, "pem");
      TestPki.writeCert(sub.resolve("node.crt"), node);
      TestPki.writeKey(sub.resolve("node.key"), node, true);
      TestPki.writeCert(sub.resolve("cluster.crt"), ca);
      return DataPlaneTls.load(
          sub.resolve("node.crt"), sub.resolve("node.key"), sub.resolve("cluster.crt"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
