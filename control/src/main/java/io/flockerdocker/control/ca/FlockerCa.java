package io.flockerdocker.control.ca;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway flocker-ca: a cluster CA (CN cluster name, OU cluster UUID) issuing X.509 v3
 * control-service, node and user certificates as PEM files with Flocker's names and CNs. (Real
 * flocker-ca writes v1 certificates the JDK rejects, see the control API spec section 1.)
 */
public final class FlockerCa {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration VALIDITY = Duration.ofDays(365L * 20);

  private final KeyPair keys;
  private final X509Certificate certificate;
  private final String clusterUuid;

  private FlockerCa(KeyPair keys, X509Certificate certificate, String clusterUuid) {
    this.keys = keys;
    this.certificate = certificate;
    this.clusterUuid = clusterUuid;
  }

  /** A new CA for a cluster called {@code clusterName} with a random cluster UUID. */
  public static FlockerCa create(String clusterName) throws GeneralSecurityException {
    String uuid = UUID.randomUUID().toString();
    KeyPair keys = rsa();
    X500Name subject = name(clusterName, uuid);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = builder(subject, subject, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new FlockerCa(keys, sign(b, keys), uuid);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot build CA certificate", e);
    }
  }

  /**
   * Creates a CA in {@code dir} with everything a demo needs: cluster.crt/.key,
   * control-service.crt/.key and the plugin user's plugin.crt/.key (CN user-plugin).
   */
  public static FlockerCa initialise(Path dir, String clusterName)
      throws IOException, GeneralSecurityException {
    FlockerCa ca = create(clusterName);
    ca.writeCa(dir);
    ca.issueControlService(dir);
    ca.issueUser(dir, "plugin");
    return ca;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String clusterUuid() {
    return clusterUuid;
  }

  /** Writes cluster.crt and cluster.key into {@code dir}. */
  public void writeCa(Path dir) throws IOException {
    write(dir, "cluster", certificate, keys);
  }

  /** control-service.crt/.key: CN control-service, SAN DNS:control-service, localhost, 127.0.0.1. */
  public void issueControlService(Path dir) throws IOException, GeneralSecurityException {
    GeneralNames san = new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "control-service"),
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
    issue(dir, "control-service", "control-service", KeyPurposeId.id_kp_serverAuth, san);
  }

  /** {@code <user>.crt/.key} with CN {@code user-<user>} and the clientAuth key usage. */
  public void issueUser(Path dir, String user) throws IOException, GeneralSecurityException {
    issue(dir, user, "user-" + user, KeyPurposeId.id_kp_clientAuth, null);
  }

  /** {@code node-<uuid>.crt/.key} with CN {@code node-<uuid>} (Flocker names it node.crt). */
  public void issueNode(Path dir, String nodeUuid) throws IOException, GeneralSecurityException {
    issue(dir, "node-" + nodeUuid, "node-" + nodeUuid, KeyPurposeId.id_kp_clientAuth, null);
  }

  /** Issues {@code <baseName>.crt/.key} for any CN, e.g. a misnamed identity for negative tests. */
  public void issue(Path dir, String baseName, String commonName, KeyPurposeId purpose,
      GeneralNames san) throws IOException, GeneralSecurityException {
    KeyPair leaf = rsa();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          builder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
              name(commonName, clusterUuid), leaf.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
              .addExtension(Extension.authorityKeyIdentifier, false,
                  ext.createAuthorityKeyIdentifier(certificate))
              .addExtension(Extension.subjectKeyIdentifier, false,
                  ext.createSubjectKeyIdentifier(leaf.getPublic()));
      if (san != null) {
        b.addExtension(Extension.subjectAlternativeName, false, san);
      }
      write(dir, baseName, sign(b, keys), leaf);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot build certificate for " + commonName, e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject,
      PublicKey key) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(63, RANDOM).add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA")
              .build(signer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign", e);
    }
  }

  private static X500Name name(String cn, String ou) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.OU, ou)
        .addRDN(BCStyle.CN, cn)
        .build();
  }

  private static KeyPair rsa() throws GeneralSecurityException {
    // Flocker uses 4096 bits; 2048 keeps test setup fast and is still accepted everywhere
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, RANDOM);
    return g.generateKeyPair();
  }

  private static void write(Path dir, String base, X509Certificate cert, KeyPair pair)
      throws IOException {
    Files.createDirectories(dir);
    try (Writer w = Files.newBufferedWriter(dir.resolve(base + ".crt"));
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(cert);
    }
    try (Writer w = Files.newBufferedWriter(dir.resolve(base + ".key"));
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(pair.getPrivate());
    }
  }
}
