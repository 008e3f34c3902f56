package io.authgateway.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * {@code -gateway.upstream.tls-server-name}: the upstream's chain is verified as usual, and its
 * certificate must name this server name instead of the URL's host, on both clients (java.net.http
 * always checks the URL's host, so the name check is done here and the client's own is off).
 * Names are matched as Go's {@code VerifyHostname} does: subject alternative names only (no common
 * name), case-insensitive, a wildcard only as the whole left-most label; an IP address against IP names.
 */
public final class ServerNameTrustManager extends X509ExtendedTrustManager {

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private final X509ExtendedTrustManager chains;
    private final String serverName;

    public ServerNameTrustManager(X509ExtendedTrustManager chains, String serverName) {
        this.chains = chains;
        this.serverName = serverName.toLowerCase(Locale.ROOT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    /** The chain against the CAs (no name check there), then the name against the leaf. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        chains.checkServerTrusted(chain, authType);
        if (!names(chain[0], serverName)) {
            throw new CertificateException("certificate is not valid for " + serverName);
        }
    }

    /** Whether {@code certificate} is valid for {@code name} (lower case). */
    static boolean names(X509Certificate certificate, String name) throws CertificateParsingException {
        Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
        if (alternatives == null) {
            return false;
        }
        InetAddress ip = ipLiteral(name);
        for (List<?> alternative : alternatives) {
            Object kind = alternative.get(0);
            String value = String.valueOf(alternative.get(1)).toLowerCase(Locale.ROOT);
            if (ip != null && kind.equals(IP_ADDRESS) && ip.equals(ipLiteral(value))) {
                return true;
            }
            if (ip == null && kind.equals(DNS_NAME) && dnsMatches(value, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean dnsMatches(String pattern, String name) {
        if (!pattern.startsWith("*.")) {
            return pattern.equals(name);
        }
        int dot = name.indexOf('.');
        return dot > 0 && name.substring(dot).equals(pattern.substring(1));
    }

    private static InetAddress ipLiteral(String text) {
        if (!text.matches("[0-9.]+|.*:.*")) {
            return null;
        }
        try {
            return InetAddress.getByName(text.startsWith("[") ? text.substring(1, text.length() - 1) : text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("an upstream client's trust manager checks no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("an upstream client's trust manager checks no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("an upstream client's trust manager checks no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chains.getAcceptedIssuers();
    }
}
