package io.flockerdocker.agent.dataset.transfer;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway cluster PKI (RSA 2048, like flocker-ca's): a CA and node identities with any CN,
 * written as the PEM files a node holds so {@link DataPlaneTls#load} is what tests exercise.
 */
final class TransferPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  record Identity(KeyPair keys, X509Certificate cert) {}

  private final Identity ca;
  private final Path dir;

  TransferPki(Path dir, String clusterName) {
    this.dir = dir;
    KeyPair keys = rsa();
    this.ca = new Identity(keys, sign("CN=" + clusterName, keys, "CN=" + clusterName, keys, true));
  }

  /** An SSLContext for a node whose certificate says CN={@code cn}, loaded from PEM files. */
  SSLContext node(String cn) {
    KeyPair keys = rsa();
    X509Certificate cert = sign("CN=" + cn, keys, "CN=" + caName(), ca.keys(), false);
    try {
      Path sub = Files.createTempDirectory(dir, "pem");
      write(sub.resolve("node.crt"), cert);
      write(sub.resolve("node.key"), keys.getPrivate());
      write(sub.resolve("cluster.crt"), ca.cert());
      return DataPlaneTls.load(
          sub.resolve("node.crt"), sub.resolve("node.key"), sub.resolve("cluster.crt"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String caName() {
    return ca.cert().getSubjectX500Principal().getName().substring(3);
  }

  private static X509Certificate sign(
      String subject, KeyPair keys, String issuer, KeyPair issuerKeys, boolean isCa) {
    try {
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              new X500Name(issuer), BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(86_400)),
              new X500Name(subject), keys.getPublic());
      if (isCa) {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
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
