package io.authgateway.tls;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/** A PEM bundle of CA certificates as a PKIX trust manager (path building, validity, key usage). */
public final class CaBundle {

    private CaBundle() {
    }

    /** The JDK's own trust store ({@code cacerts}, or {@code javax.net.ssl.trustStore}). */
    static X509ExtendedTrustManager jdkDefault() throws TlsMaterialException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init((KeyStore) null);
            return x509(factory);
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(TlsMaterialException.Part.CA, "the Java trust store is unusable: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager x509(TrustManagerFactory factory) throws TlsMaterialException {
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new TlsMaterialException(TlsMaterialException.Part.CA, "no X.509 trust manager in this Java runtime");
    }

    public static X509ExtendedTrustManager load(Path file) throws TlsMaterialException {
        List<X509Certificate> authorities = Pem.certificates(CertifiedKey.read(file, TlsMaterialException.Part.CA),
                TlsMaterialException.Part.CA);
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                anchors.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            return x509(factory);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsMaterialException(TlsMaterialException.Part.CA, "CA bundle unusable: " + e.getMessage(), e);
        }
    }
}
