package io.wharf.auth;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made in the test: a CA, and certificates it signs, written as PEM files. */
public final class TestPki {
    private final AtomicLong serial = new AtomicLong(1);

    /** A key pair and its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
        /** Writes {@code name.crt} and {@code name.key} into {@code dir}. */
        public Files written(Path dir, String name) throws Exception {
            java.nio.file.Files.createDirectories(dir);
            Path crt = dir.resolve(name + ".crt");
            Path key = dir.resolve(name + ".key");
            java.nio.file.Files.writeString(crt, PemFiles.pem(certificate));
            java.nio.file.Files.writeString(key, PemFiles.pem(keys.getPrivate()));
            return new Files(crt, key);
        }
    }

    /** Where a certificate and its key were written. */
    public record Files(Path certificate, Path key) {
    }

    public static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    public static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    public static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /** A self-signed CA. */
    public Issued ca(String name) throws Exception {
        KeyPair keys = ec();
        return new Issued(keys, sign(name, keys, name, keys, true, null, Instant.now().plus(1, ChronoUnit.DAYS)));
    }

    /** A leaf certificate for {@code localhost} and {@code 127.0.0.1}, signed by {@code ca}. */
    public Issued server(Issued ca, KeyPair keys) throws Exception {
        return new Issued(keys, sign("localhost", keys, subject(ca), ca.keys(), false,
                new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}), Instant.now().plus(1, ChronoUnit.DAYS)));
    }

    /** A leaf certificate with the given name, signed by {@code ca}, valid until {@code notAfter}. */
    public Issued leaf(Issued ca, String name, KeyPair keys, Instant notAfter) throws Exception {
        return new Issued(keys, sign(name, keys, subject(ca), ca.keys(), false, null, notAfter));
    }

    private static String subject(Issued ca) {
        return ca.certificate().getSubjectX500Principal().getName().replace("CN=", "");
    }

    private X509Certificate sign(String name, KeyPair subjectKeys, String issuer, KeyPair issuerKeys, boolean ca,
            GeneralNames san, Instant notAfter) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer),
                BigInteger.valueOf(serial.getAndIncrement()), Date.from(Instant.now().minus(1, ChronoUnit.HOURS)),
                Date.from(notAfter), new X500Name("CN=" + name), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature));
        }
        if (san != null) {
            b.addExtension(Extension.subjectAlternativeName, false, san);
        }
        String alg = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg)
                .build(issuerKeys.getPrivate())));
    }
}
