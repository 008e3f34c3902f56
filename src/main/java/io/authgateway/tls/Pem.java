package io.authgateway.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text as Go's {@code crypto/tls} reads it: every {@code CERTIFICATE} block of a file, in
 * order (a chain is served whole, leaf first), and the first private key block of a key file:
 * PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY});
 * the last two are wrapped into PKCS#8 ({@link Pkcs8}), the only form the JDK reads. Text outside
 * the blocks (openssl's {@code subject=} lines, {@code EC PARAMETERS}) is ignored. Encrypted keys
 * are refused: Go refuses them too, and a passphrase would need a flag of its own.
 */
public final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\R?(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private Pem() {
    }

    /** One PEM block: its label and its decoded bytes. */
    private record Block(String label, String body) {
    }

    public static List<X509Certificate> certificates(byte[] pem, TlsMaterialException.Part part)
            throws TlsMaterialException {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(pem)) {
                if (block.label().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(decode(block, part))));
                }
            }
        } catch (CertificateException e) {
            throw new TlsMaterialException(part, "not a valid certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new TlsMaterialException(part, "no PEM CERTIFICATE block found");
        }
        return List.copyOf(certificates);
    }

    public static PrivateKey privateKey(byte[] pem) throws TlsMaterialException {
        for (Block block : blocks(pem)) {
            switch (block.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(decode(block, TlsMaterialException.Part.KEY));
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                    if (block.body().contains("Proc-Type:")) {
                        throw new TlsMaterialException(TlsMaterialException.Part.KEY, "encrypted private keys are not supported");
                    }
                    byte[] der = decode(block, TlsMaterialException.Part.KEY);
                    return pkcs8(block.label().startsWith("RSA") ? Pkcs8.fromPkcs1(der) : Pkcs8.fromSec1(der));
                }
                case "ENCRYPTED PRIVATE KEY" ->
                        throw new TlsMaterialException(TlsMaterialException.Part.KEY, "encrypted private keys are not supported");
                default -> {
                    // certificates or parameters next to the key: not the key
                }
            }
        }
        throw new TlsMaterialException(TlsMaterialException.Part.KEY,
                "no PEM private key block found (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(byte[] der) throws TlsMaterialException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // not this algorithm: try the next
            }
        }
        throw new TlsMaterialException(TlsMaterialException.Part.KEY,
                "not a valid RSA, EC or EdDSA private key");
    }

    private static List<Block> blocks(byte[] pem) {
        Matcher matcher = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
        List<Block> blocks = new ArrayList<>();
        while (matcher.find()) {
            blocks.add(new Block(matcher.group(1), matcher.group(2)));
        }
        return blocks;
    }

    private static byte[] decode(Block block, TlsMaterialException.Part part) throws TlsMaterialException {
        String body = block.body();
        int headersEnd = body.indexOf("\n\n");
        if (body.contains(":") && headersEnd >= 0) {
            body = body.substring(headersEnd + 2);
        }
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new TlsMaterialException(part, "PEM block " + block.label() + " is not valid base64");
        }
    }
}
