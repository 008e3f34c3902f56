package io.authgateway.tls;

import io.authgateway.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Certificate and key files in the forms openssl and Go write, read and checked as a pair. */
class PemTest {

    private static TestPki pki;
    private static TestPki.Authority ca;

    @BeforeAll
    static void makeCa() throws Exception {
        pki = TestPki.create();
        ca = pki.authority("pem");
    }

    @ParameterizedTest
    @EnumSource(TestPki.KeyForm.class)
    void readsEveryKeyFormAndChecksItAgainstTheCertificate(TestPki.KeyForm form) throws Exception {
        TestPki.Pair pair = pki.server(ca, form);
        CertifiedKey loaded = CertifiedKey.load(pair.certificate(), pair.key());
        assertThat(loaded.key().getAlgorithm()).isEqualTo(form.name().startsWith("EC") ? "EC" : "RSA");
        assertThat(loaded.chain()).hasSize(1);
    }

    @Test
    void keepsTheWholeChainOfTheCertificateFileLeafFirst() throws Exception {
        TestPki.Pair pair = pki.server(ca, TestPki.KeyForm.EC_PKCS8);
        CertifiedKey loaded = CertifiedKey.load(pki.chain(pair, ca), pair.key());
        assertThat(loaded.chain()).hasSize(2);
        assertThat(loaded.chain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(loaded.chain().get(1).getSubjectX500Principal().getName()).isEqualTo("CN=pem");
    }

    @Test
    void readsAnEcKeyAfterItsParametersBlock() throws Exception {
        Path key = pki.directory().resolve("with-params.key");
        Files.writeString(key, pki.openssl("ecparam", "-name", "prime256v1", "-genkey"));
        assertThat(Files.readString(key)).contains("BEGIN EC PARAMETERS");
        assertThat(Pem.privateKey(Files.readAllBytes(key)).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void readsFilesWithWindowsLineEndings() throws Exception {
        TestPki.Pair pair = pki.server(ca, TestPki.KeyForm.RSA_PKCS1);
        Path certificate = pki.directory().resolve("crlf.crt");
        Path key = pki.directory().resolve("crlf.key");
        Files.writeString(certificate, Files.readString(pair.certificate()).replace("\n", "\r\n"));
        Files.writeString(key, Files.readString(pair.key()).replace("\n", "\r\n"));
        assertThat(CertifiedKey.load(certificate, key).key().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void refusesAKeyOfAnotherCertificate() throws Exception {
        TestPki.Pair one = pki.server(ca, TestPki.KeyForm.EC_PKCS8);
        TestPki.Pair other = pki.server(ca, TestPki.KeyForm.EC_SEC1);
        assertThatThrownBy(() -> CertifiedKey.load(one.certificate(), other.key()))
                .isInstanceOfSatisfying(TlsMaterialException.class, e -> assertThat(e.part()).isEqualTo(TlsMaterialException.Part.PAIR))
                .hasMessageContaining("does not match");
        TestPki.Pair rsa = pki.server(ca, TestPki.KeyForm.RSA_PKCS1);
        assertThatThrownBy(() -> CertifiedKey.load(one.certificate(), rsa.key())).hasMessageContaining("does not match");
    }

    @Test
    void refusesEncryptedKeysGarbageAndMissingFilesNamingThePart() throws Exception {
        TestPki.Pair pair = pki.server(ca, TestPki.KeyForm.EC_PKCS8);
        Path encrypted = pki.directory().resolve("encrypted.key");
        pki.openssl("pkcs8", "-topk8", "-in", pair.key().toString(), "-passout", "pass:secret", "-out", encrypted.toString());
        assertThatThrownBy(() -> CertifiedKey.load(pair.certificate(), encrypted)).hasMessageContaining("encrypted");
        Path garbage = pki.directory().resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> CertifiedKey.load(pair.certificate(), garbage))
                .isInstanceOfSatisfying(TlsMaterialException.class, e -> assertThat(e.part()).isEqualTo(TlsMaterialException.Part.KEY));
        assertThatThrownBy(() -> CertifiedKey.load(garbage, pair.key()))
                .isInstanceOfSatisfying(TlsMaterialException.class, e -> assertThat(e.part()).isEqualTo(TlsMaterialException.Part.CERTIFICATE))
                .hasMessageContaining("no PEM CERTIFICATE block");
        assertThatThrownBy(() -> CertifiedKey.load(pki.directory().resolve("missing.crt"), pair.key()))
                .hasMessageContaining("cannot read");
    }
}
