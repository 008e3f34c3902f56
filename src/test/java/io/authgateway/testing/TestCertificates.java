package io.authgateway.testing;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Self-signed certificates for localhost, made by the JDK's keytool when a test runs (never
 * committed): an EC P-256 key under alias {@code ec} and an RSA-2048 one under {@code rsa}, in
 * one PKCS12 store that serves as key store for a test upstream and as trust store for the gateway.
 */
public final class TestCertificates {

    public static final String PASSWORD = "test-store";

    private final Path store;

    private TestCertificates(Path store) {
        this.store = store;
    }

    public static TestCertificates create() throws IOException, InterruptedException {
        Path store = Files.createTempDirectory("gateway-tls").resolve("upstream.p12");
        keytool(store, "ec", "-keyalg", "EC", "-groupname", "secp256r1");
        keytool(store, "rsa", "-keyalg", "RSA", "-keysize", "2048");
        return new TestCertificates(store);
    }

    public Path store() {
        return store;
    }

    /** The JVM options that make a gateway process trust these certificates. */
    public List<String> trustOptions() {
        return List.of("-Djavax.net.ssl.trustStore=" + store, "-Djavax.net.ssl.trustStorePassword=" + PASSWORD);
    }

    /** A server context presenting the key under {@code alias}. */
    public SSLContext serverContext(String alias) throws IOException, GeneralSecurityException {
        KeyStore all = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            all.load(in, PASSWORD.toCharArray());
        }
        KeyStore one = KeyStore.getInstance("PKCS12");
        one.load(null, null);
        one.setKeyEntry(alias, all.getKey(alias, PASSWORD.toCharArray()), PASSWORD.toCharArray(),
                all.getCertificateChain(alias));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(one, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(Path store, String alias, String... keyOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-alias", alias, "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30"));
        command.addAll(List.of(keyOptions));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
