package io.flockerdocker.control.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.control.PemTls;
import io.flockerdocker.control.X509TrustManagerWithCnPrefix;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ca init/node/user}: file layout, 0600 keys, CNs, SANs, usages, and no overwrite. */
class CaMainTest {
  private static final String SERVER = KeyPurposeId.id_kp_serverAuth.getId();
  private static final String CLIENT = KeyPurposeId.id_kp_clientAuth.getId();

  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int ca(String... args) {
    out.reset();
    err.reset();
    return CaMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String errLine() {
    String e = err.toString(StandardCharsets.UTF_8).strip();
    assertThat(e).doesNotContain("\n").startsWith("ca: ");
    return e;
  }

  static X509Certificate cert(Path file) throws Exception {
    return PemTls.readCertificates(file).get(0);
  }

  static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  static List<String> sans(X509Certificate c) throws Exception {
    return c.getSubjectAlternativeNames().stream()
        .map(l -> l.get(0) + ":" + l.get(1)).collect(Collectors.toList());
  }

  @Test
  void initMakesACaAndTheControlServiceIdentity() throws Exception {
    assertThat(ca("init", "--dir", dir.toString(), "--control-address", "10.0.0.5",
        "--control-address", "control.example.org")).isZero();
    X509Certificate cluster = cert(dir.resolve("cluster.crt"));
    assertThat(cluster.getVersion()).isEqualTo(3);
    assertThat(cluster.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(cluster.getKeyUsage()[5]).as("keyCertSign").isTrue();
    X509Certificate control = cert(dir.resolve("control-service.crt"));
    assertThat(control.getBasicConstraints()).isEqualTo(-1);
    assertThat(X509TrustManagerWithCnPrefix.commonName(control)).isEqualTo("control-service");
    // 2 = dNSName, 7 = iPAddress
    assertThat(sans(control)).containsExactlyInAnyOrder("2:control-service", "7:10.0.0.5",
        "2:control.example.org");
    assertThat(control.getExtendedKeyUsage()).contains(SERVER, CLIENT);
    control.verify(cluster.getPublicKey());
    assertThat(mode(dir.resolve("cluster.key"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("control-service.key"))).isEqualTo("rw-------");
  }

  @Test
  void nodeWritesItsFilesAndPrintsItsUuid() throws Exception {
    ca("init", "--dir", dir.toString());
    assertThat(ca("node", "--dir", dir.toString(), "--name", "host1", "--address",
        "192.168.1.7")).isZero();
    String uuid = out.toString(StandardCharsets.UTF_8).strip();
    assertThat(uuid).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    Path home = dir.resolve("host1");
    X509Certificate node = cert(home.resolve("node.crt"));
    assertThat(X509TrustManagerWithCnPrefix.commonName(node)).isEqualTo("node-" + uuid);
    assertThat(sans(node)).containsExactly("7:192.168.1.7");
    assertThat(node.getExtendedKeyUsage()).contains(SERVER, CLIENT);
    assertThat(node.getBasicConstraints()).isEqualTo(-1);
    node.verify(cert(dir.resolve("cluster.crt")).getPublicKey());
    assertThat(Files.readString(home.resolve("cluster.crt")))
        .isEqualTo(Files.readString(dir.resolve("cluster.crt")));
    assertThat(mode(home.resolve("node.key"))).isEqualTo("rw-------");

    String given = "0B4A4B8E-7A2F-4D0C-9B0E-3F3C8F1E2A11";
    assertThat(ca("node", "--dir", dir.toString(), "--name", "host2", "--address", "h2.lan",
        "--uuid", given)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).strip()).isEqualTo(given.toLowerCase());
    assertThat(sans(cert(dir.resolve("host2/node.crt")))).containsExactly("2:h2.lan");
  }

  @Test
  void userIsAClientOnly() throws Exception {
    ca("init", "--dir", dir.toString());
    assertThat(ca("user", "--dir", dir.toString(), "--name", "plugin")).isZero();
    X509Certificate user = cert(dir.resolve("plugin.crt"));
    assertThat(X509TrustManagerWithCnPrefix.commonName(user)).isEqualTo("user-plugin");
    assertThat(user.getExtendedKeyUsage()).containsExactly(CLIENT);
    assertThat(mode(dir.resolve("plugin.key"))).isEqualTo("rw-------");
  }

  @Test
  void nothingIsEverOverwritten() throws Exception {
    assertThat(ca("init", "--dir", dir.toString())).isZero();
    String caBefore = Files.readString(dir.resolve("cluster.crt"));
    assertThat(ca("init", "--dir", dir.toString())).isEqualTo(2);
    assertThat(errLine()).contains("refusing to overwrite").contains("cluster.crt");
    assertThat(Files.readString(dir.resolve("cluster.crt"))).isEqualTo(caBefore);

    ca("node", "--dir", dir.toString(), "--name", "n", "--address", "127.0.0.1");
    String nodeBefore = Files.readString(dir.resolve("n/node.crt"));
    assertThat(ca("node", "--dir", dir.toString(), "--name", "n", "--address", "127.0.0.1"))
        .isEqualTo(2);
    assertThat(errLine()).contains(dir.resolve("n/node.crt").toString());
    assertThat(Files.readString(dir.resolve("n/node.crt"))).isEqualTo(nodeBefore);

    ca("user", "--dir", dir.toString(), "--name", "u");
    assertThat(ca("user", "--dir", dir.toString(), "--name", "u")).isEqualTo(2);
    assertThat(errLine()).contains("u.crt");
  }

  @Test
  void badArgumentsAreTwoWithOneLine() throws Exception {
    ca("init", "--dir", dir.toString());
    String d = dir.toString();
    String[][] bad = {
      {}, {"frob"}, {"init"}, {"init", "--dir"}, {"user", "--dir", d},
      {"user", "--dir", d, "--name", "../evil"}, {"user", "--dir", d, "--name", "a/b"},
      {"user", "--dir", d, "--name", ""}, {"user", "--dir", d, "--name", ".."},
      {"node", "--dir", d, "--name", "n"}, {"node", "--dir", d, "--name", "n", "--address",
        "h", "--uuid", "1234"},
      {"node", "--dir", d, "--name", "n", "--address", "h", "--uuid",
        "0b4a4b8e-7a2f-1d0c-9b0e-3f3c8f1e2a11"},
      {"user", "--dir", dir.resolve("nowhere").toString(), "--name", "x"},
      {"init", "--dir", d, "--name", "x"}};
    for (String[] args : bad) {
      assertThat(ca(args)).as(String.join(" ", args)).isEqualTo(2);
      errLine();
    }
    assertThat(dir.resolve("evil.crt")).doesNotExist();
    assertThat(dir.getParent().resolve("evil.crt")).doesNotExist();
    assertThat(dir.resolve("n")).doesNotExist();
    assertThat(ca("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: ca");
  }

  @Test
  void eachKindOfBadCommandLineNamesItsReason() {
    String d = dir.toString();
    String[][] cases = {
      {"ca: a command is required: init, node or user (see --help)"},
      {"ca: Unmatched argument at index 0: 'frob'", "frob"},
      {"ca: Unknown options: '--name', 'x'", "init", "--dir", d, "--name", "x"},
      {"ca: Missing required option: '--dir=D'", "init"},
      {"ca: Missing required parameter for option '--dir' (D)", "init", "--dir"},
      {"ca: Missing required option: '--address=ADDR'", "node", "--dir", d, "--name", "n"},
      {"ca: Unmatched argument at index 5: 'extra'", "user", "--dir", d, "--name", "u",
        "extra"}};
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      assertThat(ca(args)).as(String.join(" ", args)).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(c[0] + "\n");
      assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : List.of("init", "node", "user")) {
      assertThat(ca(command, "--help")).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: ca " + command + " ")
          .contains("--dir=D");
      assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
  }
}
