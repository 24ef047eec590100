package io.wharf.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.X509CertUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys token signatures are checked against: the certificates of {@code rootcertbundle} (as roots for
 * {@code x5c} chains, and their keys by ID), the keys of a {@code jwks} file by their {@code kid}, and Wharf's own
 * token server key. Immutable.
 */
public final class TrustedKeys {
    private static final byte[] ED25519_SPKI_PREFIX = java.util.HexFormat.of().parseHex("302a300506032b6570032100");

    private final List<X509Certificate> roots;
    private final Map<String, PublicKey> byId;

    private TrustedKeys(List<X509Certificate> roots, Map<String, PublicKey> byId) {
        this.roots = List.copyOf(roots);
        this.byId = Map.copyOf(byId);
    }

    /** No keys yet. */
    public static TrustedKeys none() {
        return new TrustedKeys(List.of(), Map.of());
    }

    /** These keys plus the root certificates of a PEM bundle. */
    public TrustedKeys withRootBundle(Path bundle) {
        List<X509Certificate> certs = PemFiles.certificates(bundle);
        var ids = new LinkedHashMap<>(byId);
        certs.forEach(c -> KeyIds.of(c.getPublicKey()).forEach(id -> ids.put(id, c.getPublicKey())));
        var all = new ArrayList<>(roots);
        all.addAll(certs);
        return new TrustedKeys(all, ids);
    }

    /**
     * These keys plus those of a JSON Web Key Set file, each under its {@code kid} (and its computed IDs).
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds a symmetric key
     */
    public TrustedKeys withJwks(Path file) {
        JWKSet set;
        try {
            set = JWKSet.load(file.toFile());
        } catch (IOException | ParseException e) {
            throw new IllegalArgumentException(file + ": not a readable JSON Web Key Set: " + e.getMessage(), e);
        }
        var ids = new LinkedHashMap<>(byId);
        for (JWK jwk : set.getKeys()) {
            PublicKey key = publicKey(jwk).orElseThrow(() -> new IllegalArgumentException(file + ": key "
                    + jwk.getKeyID() + " is not an RSA, EC or Ed25519 public key (symmetric keys are refused)"));
            if (jwk.getKeyID() != null) {
                ids.put(jwk.getKeyID(), key);
            }
            KeyIds.of(key).forEach(id -> ids.putIfAbsent(id, key));
        }
        return new TrustedKeys(roots, ids);
    }

    /** These keys plus one key under the given ID (and its computed IDs). */
    public TrustedKeys withKey(String keyId, PublicKey key) {
        var ids = new LinkedHashMap<>(byId);
        ids.put(keyId, key);
        KeyIds.of(key).forEach(id -> ids.putIfAbsent(id, key));
        return new TrustedKeys(roots, ids);
    }

    /** Whether any key is trusted. */
    public boolean isEmpty() {
        return roots.isEmpty() && byId.isEmpty();
    }

    PublicKey byKeyId(String kid) {
        return byId.get(kid);
    }

    /** The leaf key of an {@code x5c} chain that ends in a trusted root, valid at {@code now}. */
    PublicKey verifyChain(List<Base64> x5c, Instant now) throws TokenVerifier.InvalidToken {
        List<X509Certificate> chain = new ArrayList<>();
        for (Base64 b : x5c) {
            X509Certificate c = X509CertUtils.parse(b.decode());
            if (c == null) {
                throw new TokenVerifier.InvalidToken("x5c holds a malformed certificate");
            }
            chain.add(c);
        }
        if (roots.isEmpty()) {
            throw new TokenVerifier.InvalidToken("x5c chain but no rootcertbundle is configured");
        }
        try {
            X509Certificate leaf = chain.get(0);
            if (roots.contains(leaf)) {
                leaf.checkValidity(Date.from(now));
                return leaf.getPublicKey();
            }
            Set<TrustAnchor> anchors = new HashSet<>();
            roots.forEach(r -> anchors.add(new TrustAnchor(r, null)));
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            List<X509Certificate> path = chain.stream().filter(c -> !roots.contains(c)).toList();
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return leaf.getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new TokenVerifier.InvalidToken("x5c chain does not verify against rootcertbundle");
        }
    }

    /** A key given in the token's {@code jwk} header: trusted when it is one of ours or carries a trusted chain. */
    PublicKey trustedJwk(JWK jwk, Instant now) throws TokenVerifier.InvalidToken {
        PublicKey key = publicKey(jwk).orElseThrow(() -> new TokenVerifier.InvalidToken("unusable jwk header"));
        if (jwk.getX509CertChain() != null && !jwk.getX509CertChain().isEmpty()) {
            PublicKey leaf = verifyChain(jwk.getX509CertChain(), now);
            if (!java.util.Arrays.equals(leaf.getEncoded(), key.getEncoded())) {
                throw new TokenVerifier.InvalidToken("jwk does not match its certificate chain");
            }
            return key;
        }
        boolean trusted = byId.values().stream().anyMatch(k -> java.util.Arrays.equals(k.getEncoded(),
                key.getEncoded()));
        if (!trusted) {
            throw new TokenVerifier.InvalidToken("untrusted jwk with no certificate chain");
        }
        return key;
    }

    private static java.util.Optional<PublicKey> publicKey(JWK jwk) {
        try {
            return java.util.Optional.ofNullable(switch (jwk) {
                case RSAKey rsa -> rsa.toRSAPublicKey();
                case ECKey ec -> ec.toECPublicKey();
                case OctetKeyPair okp when "Ed25519".equals(okp.getCurve().getName()) -> ed25519(okp);
                default -> null;
            });
        } catch (JOSEException | GeneralSecurityException e) {
            return java.util.Optional.empty();
        }
    }

    private static PublicKey ed25519(OctetKeyPair okp) throws GeneralSecurityException {
        byte[] raw = okp.getDecodedX();
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }
}
