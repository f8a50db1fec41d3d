package io.flockerdocker.control.ca;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * The file layout of a cluster's certificates, for {@code ca} and for test harnesses: {@code
 * init} makes the CA and the control service's identity, {@code node} and {@code user} issue from
 * it. Nothing is ever overwritten: an existing target file fails the call before any write.
 */
public final class ClusterCa {
  /** Also the control service's CN: the agent checks this SAN (FlockerTls). */
  public static final String CONTROL_SERVICE = "control-service";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Pattern UUID_V4 = Pattern.compile(
      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final List<KeyPurposeId> SERVER_AND_CLIENT =
      List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);

  private ClusterCa() {}

  /** cluster.crt/.key and control-service.crt/.key (SAN control-service + each address). */
  public static void init(Path dir, List<String> controlAddresses)
      throws IOException, GeneralSecurityException {
    List<GeneralName> san = new ArrayList<>();
    san.add(new GeneralName(GeneralName.dNSName, CONTROL_SERVICE));
    for (String a : controlAddresses) {
      san.add(address(a));
    }
    PemFiles.refuseExisting(List.of(dir.resolve("cluster.crt"), dir.resolve("cluster.key"),
        dir.resolve("control-service.crt"), dir.resolve("control-service.key")));
    FlockerCa ca = FlockerCa.create("flocker-docker");
    FlockerCa.Issued control = ca.issue(CONTROL_SERVICE, SERVER_AND_CLIENT,
        new GeneralNames(san.toArray(new GeneralName[0])));
    PemFiles.writeKey(dir.resolve("cluster.key"), ca.key());
    PemFiles.writeCertificate(dir.resolve("cluster.crt"), ca.certificate());
    PemFiles.writeKey(dir.resolve("control-service.key"), control.key());
    PemFiles.writeCertificate(dir.resolve("control-service.crt"), control.certificate());
  }

  /**
   * {@code dir/name/}node.crt, node.key (CN {@code node-<uuid>}, SAN {@code address}) and a copy
   * of cluster.crt; returns the node's UUID ({@code uuid} if given, else a random v4 one).
   */
  public static String node(Path dir, String name, String address, Optional<String> uuid)
      throws IOException, GeneralSecurityException {
    Path home = dir.resolve(checkName(name));
    String id = uuid.map(ClusterCa::checkUuid).orElseGet(() -> UUID.randomUUID().toString());
    GeneralName san = address(address);
    PemFiles.refuseExisting(List.of(home.resolve("node.crt"), home.resolve("node.key"),
        home.resolve("cluster.crt")));
    FlockerCa ca = FlockerCa.load(dir);
    FlockerCa.Issued node = ca.issue("node-" + id, SERVER_AND_CLIENT, new GeneralNames(san));
    PemFiles.writeKey(home.resolve("node.key"), node.key());
    PemFiles.writeCertificate(home.resolve("node.crt"), node.certificate());
    PemFiles.writeCertificate(home.resolve("cluster.crt"), ca.certificate());
    return id;
  }

  /** {@code dir/name}.crt and .key with CN {@code user-<name>}, for API clients. */
  public static void user(Path dir, String name) throws IOException, GeneralSecurityException {
    checkName(name);
    Path crt = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    PemFiles.refuseExisting(List.of(crt, key));
    FlockerCa.Issued user = FlockerCa.load(dir)
        .issue("user-" + name, List.of(KeyPurposeId.id_kp_clientAuth), null);
    PemFiles.writeKey(key, user.key());
    PemFiles.writeCertificate(crt, user.certificate());
  }

  /** A file-name-safe identity name; rejects empty names and path separators. */
  static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad name '" + name
          + "': use letters, digits, '.', '_' and '-', starting with a letter or digit");
    }
    return name;
  }

  static String checkUuid(String uuid) {
    String lower = uuid.toLowerCase(Locale.ROOT);
    if (!UUID_V4.matcher(lower).matches()) {
      throw new IllegalArgumentException("not a version-4 UUID: " + uuid);
    }
    return lower;
  }

  /** An IP literal becomes an IP SAN (what clients match an IP URL against), anything else DNS. */
  static GeneralName address(String address) {
    if (address == null || address.isBlank() || address.contains("/")) {
      throw new IllegalArgumentException("bad address '" + address + "'");
    }
    boolean ip = IPV4.matcher(address).matches() || address.contains(":");
    return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, address);
  }
}
