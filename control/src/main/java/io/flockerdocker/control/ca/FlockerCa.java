package io.flockerdocker.control.ca;

import io.flockerdocker.control.PemTls;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A cluster CA in memory (CN cluster name, OU cluster UUID) that issues X.509 v3 leaf
 * certificates with Flocker's CNs. Real flocker-ca writes v1 certificates the JDK rejects
 * (control API spec section 1), hence our own. Files are written by {@link PemFiles}.
 */
public final class FlockerCa {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration VALIDITY = Duration.ofDays(365L * 20);

  private final PrivateKey key;
  private final X509Certificate certificate;

  private FlockerCa(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  /** A new self-signed CA for a cluster called {@code clusterName} with a random cluster UUID. */
  public static FlockerCa create(String clusterName) throws GeneralSecurityException {
    KeyPair keys = rsa();
    X500Name subject = name(clusterName, UUID.randomUUID().toString());
    try {
      X509v3CertificateBuilder b = builder(subject, subject, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
      return new FlockerCa(keys.getPrivate(), sign(b, keys.getPrivate()));
    } catch (CertIOException e) {
      throw new GeneralSecurityException("cannot build the CA certificate", e);
    }
  }

  /** The CA kept in {@code dir}/cluster.crt and cluster.key. */
  public static FlockerCa load(Path dir) throws IOException, GeneralSecurityException {
    List<X509Certificate> certs = PemTls.readCertificates(dir.resolve("cluster.crt"));
    if (certs.isEmpty()) {
      throw new GeneralSecurityException("no certificate in " + dir.resolve("cluster.crt"));
    }
    return new FlockerCa(PemTls.readPrivateKey(dir.resolve("cluster.key")), certs.get(0));
  }

  public X509Certificate certificate() {
    return certificate;
  }

  PrivateKey key() {
    return key;
  }

  /** The cluster UUID, carried as the OU of every certificate of this cluster. */
  public String clusterUuid() {
    RDN[] ou = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())
        .getRDNs(BCStyle.OU);
    return ou.length == 0 ? "" : IETFUtils.valueToString(ou[0].getFirst().getValue());
  }

  /** A leaf certificate and its new key; {@code san} may be null. */
  public Issued issue(String commonName, List<KeyPurposeId> purposes, GeneralNames san)
      throws GeneralSecurityException {
    KeyPair leaf = rsa();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          builder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
              name(commonName, clusterUuid()), leaf.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(Extension.extendedKeyUsage, false,
                  new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])))
              .addExtension(Extension.authorityKeyIdentifier, false,
                  ext.createAuthorityKeyIdentifier(certificate))
              .addExtension(Extension.subjectKeyIdentifier, false,
                  ext.createSubjectKeyIdentifier(leaf.getPublic()));
      if (san != null) {
        b.addExtension(Extension.subjectAlternativeName, false, san);
      }
      return new Issued(sign(b, key), leaf.getPrivate());
    } catch (CertIOException e) {
      throw new GeneralSecurityException("cannot build certificate for " + commonName, e);
    }
  }

  /** A certificate with the private key that goes with it. */
  public record Issued(X509Certificate certificate, PrivateKey key) {}

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject,
      PublicKey key) {
    Instant now = Instant.now();
    // an hour back: hosts whose clocks lag a little must still accept a fresh certificate
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(63, RANDOM).add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer)));
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
    // Flocker uses 4096 bits; 2048 keeps set-up fast and is still accepted everywhere
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, RANDOM);
    return g.generateKeyPair();
  }
}
