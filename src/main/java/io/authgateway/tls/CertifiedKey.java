package io.authgateway.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.List;

/**
 * A certificate chain (leaf first) and the private key of its leaf, read from a certificate file
 * and a key file and checked to belong together, as Go's {@code tls.LoadX509KeyPair} checks them.
 */
public record CertifiedKey(List<X509Certificate> chain, PrivateKey key) {

    public CertifiedKey {
        chain = List.copyOf(chain);
    }

    public static CertifiedKey load(Path certificateFile, Path keyFile) throws TlsMaterialException {
        List<X509Certificate> chain = Pem.certificates(read(certificateFile, TlsMaterialException.Part.CERTIFICATE),
                TlsMaterialException.Part.CERTIFICATE);
        PrivateKey key = Pem.privateKey(read(keyFile, TlsMaterialException.Part.KEY));
        if (!matches(chain.getFirst().getPublicKey(), key)) {
            throw new TlsMaterialException(TlsMaterialException.Part.PAIR,
                    "the private key does not match the certificate " + chain.getFirst().getSubjectX500Principal());
        }
        return new CertifiedKey(chain, key);
    }

    /** The leaf certificate's {@code notAfter}. */
    public Instant notAfter() {
        return chain.getFirst().getNotAfter().toInstant();
    }

    /** The whole file, or a problem naming it; never the file's content. */
    static byte[] read(Path file, TlsMaterialException.Part part) throws TlsMaterialException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            throw new TlsMaterialException(part, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** RSA keys by modulus; other keys by signing a fixed text and verifying it with the certificate's key. */
    static boolean matches(PublicKey certified, PrivateKey key) {
        if (certified instanceof RSAKey rsaPublic) {
            return key instanceof RSAKey rsaPrivate && rsaPublic.getModulus().equals(rsaPrivate.getModulus());
        }
        if (!certified.getAlgorithm().equals(key.getAlgorithm())) {
            return false;
        }
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : key.getAlgorithm();
        byte[] text = "auth-gateway key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(text);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(text);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
