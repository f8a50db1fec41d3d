package io.flockerdocker.agent.flocker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throwaway PKI shaped like flocker-ca's (cluster CA, control-service, user-plugin), with knobs
 * for the broken cases: expiry, missing SAN, a foreign CA, and flocker-ca's v1-with-extensions.
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  /** A key pair and its certificate, as DER (a v1-with-extensions one cannot be an X509Certificate). */
  public record Identity(KeyPair keys, byte[] der, X500Name name) {}

  private TestPki() {}

  public static Identity ca(String clusterName) {
    KeyPair keys = rsa();
    X500Name name = new X500Name("CN=" + clusterName + ",OU=cluster-uuid");
    return sign(
        name, keys, name, keys, Instant.now(), Duration.ofDays(365), new String[0], true);
  }

  public static Identity issue(Identity ca, String cn, Instant notBefore, Duration validity, String... dns) {
    return sign(
        new X500Name("CN=" + cn + ",OU=cluster-uuid"),
        rsa(), ca.name(), ca.keys(), notBefore, validity, dns, false);
  }

  /** What flocker-ca writes: no version field (v1) but a subjectAltName extension anyway. */
  static Identity v1WithExtensions(String cn, String dns) {
    KeyPair keys = rsa();
    X500Name name = new X500Name("CN=" + cn + ",OU=cluster-uuid");
    try {
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
      Extensions extensions =
          new Extensions(
              new Extension(
                  Extension.subjectAlternativeName,
                  false,
                  new DEROctetString(new GeneralNames(new GeneralName(GeneralName.dNSName, dns)))));
      Instant now = Instant.now();
      DERSequence tbs =
          new DERSequence(
              new ASN1Encodable[] {
                new ASN1Integer(SERIAL.incrementAndGet()),
                signer.getAlgorithmIdentifier(),
                name,
                new DERSequence(
                    new ASN1Encodable[] {
                      new Time(Date.from(now.minusSeconds(60))),
                      new Time(Date.from(now.plus(Duration.ofDays(365))))
                    }),
                name,
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()),
                new DERTaggedObject(true, 3, extensions)
              });
      signer.getOutputStream().write(tbs.getEncoded(ASN1Encoding.DER));
      DERSequence cert =
          new DERSequence(
              new ASN1Encodable[] {
                tbs, signer.getAlgorithmIdentifier(), new DERBitString(signer.getSignature())
              });
      return new Identity(keys, cert.getEncoded(ASN1Encoding.DER), name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate x509(Identity id) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(id.der()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void writeCert(Path file, Identity id) {
    write(file, new PemObject("CERTIFICATE", id.der()));
  }

  /** PKCS#1 ("RSA PRIVATE KEY") or PKCS#8 ("PRIVATE KEY"). */
  public static void writeKey(Path file, Identity id, boolean pkcs8) {
    try {
      Object pem =
          pkcs8 ? new JcaPKCS8Generator(id.keys().getPrivate(), null).generate() : id.keys();
      write(file, pem);
      // the agent refuses a key readable by group or others, as a real deployment's must be
      Files.setPosixFilePermissions(file,
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server context presenting {@code server} and requiring clients chained to {@code ca}. */
  static SSLContext serverContext(Identity server, Identity ca) throws GeneralSecurityException {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "server", server.keys().getPrivate(), new char[0],
          new X509Certificate[] {x509(server)});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", x509(ca));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Identity sign(
      X500Name subject, KeyPair keys, X500Name issuer, KeyPair issuerKeys,
      Instant notBefore, Duration validity, String[] dns, boolean isCa) {
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore.minusSeconds(60)),
              Date.from(notBefore.plus(validity)),
              subject,
              keys.getPublic());
      if (isCa) {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      }
      if (dns.length > 0) {
        GeneralName[] names = new GeneralName[dns.length];
        for (int i = 0; i < dns.length; i++) {
          names[i] = new GeneralName(GeneralName.dNSName, dns[i]);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate());
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
      return new Identity(keys, cert.getEncoded(), subject);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(Path file, Object pem) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(pem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Files.writeString(file, text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
