package io.flockerdocker.agent.flocker;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * Reads the PEM files of Flocker's TLS identities and checks them at start: every failure is a
 * {@link FlockerTls.TlsSetupException} naming the file and what to do, never a bare stack trace.
 */
public final class PemFiles {
  /** What the operator must do when the JDK cannot parse flocker-ca's v1 certificates. */
  static final String REISSUE_V3 =
      "it is an X.509 version 1 certificate carrying version 3 extensions, which Flocker's"
          + " flocker-ca tool writes and Java refuses to parse. Re-issue the cluster's certificates"
          + " as X.509 v3 with the same names, signed by a v3 cluster CA, e.g. with OpenSSL:"
          + " `openssl req -x509 -new -key cluster.key -days 7300 -sha256"
          + " -subj '/CN=<cluster name>/OU=<cluster uuid>'"
          + " -addext 'basicConstraints=critical,CA:TRUE,pathlen:0'"
          + " -addext 'keyUsage=critical,keyCertSign,cRLSign' -out cluster.crt`; then for each"
          + " identity `openssl req -new -key X.key -subj '/CN=<cn>/OU=<cluster uuid>' | openssl x509"
          + " -req -CA cluster.crt -CAkey cluster.key -CAcreateserial -days 7300 -sha256"
          + " -extfile ext.cnf -out X.crt` with CN control-service and"
          + " ext.cnf 'subjectAltName=DNS:control-service,DNS:<host>' for control-service.crt,"
          + " CN node-<node uuid> for each node.crt, and CN user-plugin with"
          + " 'extendedKeyUsage=clientAuth' for plugin.crt (an -extfile makes OpenSSL write v3);"
          + " install the new cluster.crt on every node and restart the Flocker services";

  private PemFiles() {}

  /** The one certificate in {@code file}, checked to be currently valid. */
  public static X509Certificate certificate(Path file, String role) {
    Object pem = readPem(file, role);
    if (!(pem instanceof X509CertificateHolder holder)) {
      throw fail(role, file, "expected a PEM CERTIFICATE, found " + describe(pem));
    }
    X509Certificate cert = parse(holder, file, role);
    try {
      cert.checkValidity();
    } catch (CertificateExpiredException e) {
      throw fail(role, file, "it expired on " + cert.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw fail(role, file, "it is not valid before " + cert.getNotBefore().toInstant());
    }
    return cert;
  }

  /** The RSA (or other) private key in {@code file}, PKCS#1 or PKCS#8, unencrypted. */
  public static PrivateKey privateKey(Path file, String role) {
    Object pem = readPem(file, role);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (pem instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      if (pem instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
    } catch (IOException e) {
      throw fail(role, file, "unusable key: " + e.getMessage());
    }
    throw fail(role, file, "expected an unencrypted PEM private key, found " + describe(pem));
  }

  private static X509Certificate parse(X509CertificateHolder holder, Path file, String role) {
    try {
      byte[] der = holder.getEncoded();
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | IOException jdkFailure) {
      // the JDK is strict about v1 certificates with extensions; Bouncy Castle's converter is the
      // second chance the brief asks for (it is strict too, so this normally fails the same way)
      try {
        return new JcaX509CertificateConverter().getCertificate(holder);
      } catch (CertificateException | RuntimeException bcFailure) {
        if (String.valueOf(jdkFailure.getMessage()).contains("version 1")) {
          throw fail(role, file, REISSUE_V3);
        }
        throw fail(role, file, "not a usable X.509 certificate: " + jdkFailure.getMessage());
      }
    }
  }

  private static Object readPem(Path file, String role) {
    try (Reader reader = Files.newBufferedReader(file);
        PEMParser parser = new PEMParser(reader)) {
      Object pem = parser.readObject();
      if (pem == null) {
        throw fail(role, file, "no PEM block found");
      }
      return pem;
    } catch (IOException | RuntimeException e) {
      if (e instanceof FlockerTls.TlsSetupException tls) {
        throw tls;
      }
      if (isV1WithExtensions(e)) {
        throw fail(role, file, REISSUE_V3);
      }
      if (e instanceof java.nio.file.NoSuchFileException) {
        throw fail(role, file, "no such file");
      }
      if (e instanceof java.nio.file.AccessDeniedException) {
        throw fail(role, file, "permission denied");
      }
      throw fail(role, file, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** Bouncy Castle's PEMParser already refuses a v1 certificate with extensions while parsing. */
  private static boolean isV1WithExtensions(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("version 1 certificate contains extra data")) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Object pem) {
    return pem.getClass().getSimpleName().replace("Holder", "");
  }

  private static FlockerTls.TlsSetupException fail(String role, Path file, String problem) {
    return new FlockerTls.TlsSetupException("cannot read " + role + " " + file + ": " + problem);
  }
}
