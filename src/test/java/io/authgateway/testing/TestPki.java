package io.authgateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Certificate authorities and certificates made with {@code openssl} when a test runs, in a temporary
 * directory (never committed): a CA per name, leaf certificates for servers and clients signed by
 * one of them, keys in every PEM form the gateway reads. {@code openssl} comes from Debian; the
 * project's scripts install it where missing ({@code .ci/run}, {@code benchmarks/load.sh}).
 */
public final class TestPki {

    /** The PEM forms of a private key: PKCS#8, or the older PKCS#1 (RSA) and SEC1 (EC). */
    public enum KeyForm { EC_PKCS8, EC_SEC1, RSA_PKCS8, RSA_PKCS1 }

    /** A certificate file (leaf first, then {@code chain}) and its key file. */
    public record Pair(Path certificate, Path key) {
    }

    /** A CA's certificate and key. */
    public record Authority(String name, Path certificate, Path key) {
    }

    private final Path directory;
    private final AtomicInteger counter = new AtomicInteger();

    private TestPki(Path directory) {
        this.directory = directory;
    }

    public static TestPki create() throws IOException {
        return new TestPki(Files.createTempDirectory("gateway-pki"));
    }

    public Path directory() {
        return directory;
    }

    public Authority authority(String name) throws IOException {
        Path key = key(name + "-ca", KeyForm.EC_PKCS8);
        Path certificate = directory.resolve(name + "-ca.crt");
        openssl("req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=" + name, "-days", "30",
                "-out", certificate.toString());
        return new Authority(name, certificate, key);
    }

    /** A server certificate for {@code localhost} and 127.0.0.1. */
    public Pair server(Authority ca, KeyForm form) throws IOException {
        return leaf(ca, "localhost", List.of("DNS:localhost", "IP:127.0.0.1"), 30, form);
    }

    /** A client certificate with this common name and subject alternative names ("DNS:x", "URI:y"). */
    public Pair client(Authority ca, String commonName, List<String> alternativeNames) throws IOException {
        return leaf(ca, commonName, alternativeNames, 30, KeyForm.EC_PKCS8);
    }

    /** A client certificate whose validity ended yesterday. */
    public Pair expiredClient(Authority ca, String commonName) throws IOException {
        return leaf(ca, commonName, List.of(), -1, KeyForm.EC_PKCS8);
    }

    /**
     * A client certificate valid from 2020 until {@code lifetime} from now, to the second ({@code openssl
     * x509} counts in days; {@code openssl ca} takes exact dates, with a throwaway database).
     */
    public Pair shortLivedClient(Authority ca, String commonName, java.time.Duration lifetime) throws IOException {
        String name = "short-" + counter.incrementAndGet();
        Path key = key(name, KeyForm.EC_PKCS8);
        Path request = directory.resolve(name + ".csr");
        openssl("req", "-new", "-key", key.toString(), "-subj", "/CN=" + commonName, "-out", request.toString());
        Path database = Files.createDirectories(directory.resolve(name + "-db"));
        Files.writeString(database.resolve("index.txt"), "");
        Files.writeString(database.resolve("serial"), Long.toHexString(System.nanoTime() | 1L << 60) + "\n");
        Path config = database.resolve("ca.cnf");
        Files.write(config, List.of("[ca]", "default_ca = test", "[test]", "database = " + database.resolve("index.txt"),
                "new_certs_dir = " + database, "serial = " + database.resolve("serial"), "default_md = sha256",
                "policy = any", "[any]", "commonName = supplied"));
        String end = java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plus(lifetime));
        Path certificate = directory.resolve(name + ".crt");
        openssl("ca", "-batch", "-config", config.toString(), "-cert", ca.certificate().toString(), "-keyfile",
                ca.key().toString(), "-in", request.toString(), "-out", certificate.toString(), "-startdate",
                "20200101000000Z", "-enddate", end, "-notext");
        return new Pair(certificate, key);
    }

    public Pair leaf(Authority ca, String commonName, List<String> alternativeNames, int days, KeyForm form)
            throws IOException {
        String name = "leaf-" + counter.incrementAndGet();
        Path key = key(name, form);
        Path request = directory.resolve(name + ".csr");
        openssl("req", "-new", "-key", key.toString(), "-subj", "/CN=" + commonName, "-out", request.toString());
        Path extensions = directory.resolve(name + ".ext");
        List<String> lines = new ArrayList<>(List.of("basicConstraints=CA:FALSE",
                "keyUsage=digitalSignature,keyEncipherment", "extendedKeyUsage=serverAuth,clientAuth"));
        if (!alternativeNames.isEmpty()) {
            lines.add("subjectAltName=" + String.join(",", alternativeNames));
        }
        Files.write(extensions, lines);
        Path certificate = directory.resolve(name + ".crt");
        openssl("x509", "-req", "-in", request.toString(), "-CA", ca.certificate().toString(), "-CAkey",
                ca.key().toString(), "-set_serial", "0x" + Long.toHexString(System.nanoTime()), "-days",
                Integer.toString(days), "-extfile", extensions.toString(), "-out", certificate.toString());
        return new Pair(certificate, key);
    }

    /** A file with the leaf of {@code pair} followed by the CA certificate: a chain. */
    public Path chain(Pair pair, Authority ca) throws IOException {
        Path chain = directory.resolve("chain-" + counter.incrementAndGet() + ".crt");
        Files.writeString(chain, Files.readString(pair.certificate()) + Files.readString(ca.certificate()));
        return chain;
    }

    public Path key(String name, KeyForm form) throws IOException {
        Path pkcs8 = directory.resolve(name + ".pk8.key");
        if (form == KeyForm.RSA_PKCS8 || form == KeyForm.RSA_PKCS1) {
            openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", pkcs8.toString());
        } else {
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", pkcs8.toString());
        }
        if (form == KeyForm.EC_PKCS8 || form == KeyForm.RSA_PKCS8) {
            return pkcs8;
        }
        Path traditional = directory.resolve(name + ".key");
        openssl("pkey", "-in", pkcs8.toString(), "-traditional", "-out", traditional.toString());
        return traditional;
    }

    /** Runs openssl in the PKI directory; fails the test with openssl's output when it fails. */
    public String openssl(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("openssl not found: install it (apt-get install openssl), as .ci/run does", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", arguments) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return output;
    }
}
