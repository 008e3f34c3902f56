package io.authgateway.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Wraps the two older private-key encodings openssl and Go still write into PKCS#8, the one the
 * JDK's key factories read: a PKCS#8 {@code PrivateKeyInfo} is the algorithm's identifier plus
 * the old encoding as an octet string (RFC 5208, RFC 5915 §2 for the EC case). Only enough DER to
 * build those two structures and to find the curve of a SEC1 key is written here.
 */
final class Pkcs8 {

    /** 1.2.840.113549.1.1.1 rsaEncryption, with its NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** 1.2.840.10045.2.1 id-ecPublicKey. */
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private Pkcs8() {
    }

    /** PKCS#1 {@code RSAPrivateKey} to PKCS#8. */
    static byte[] fromPkcs1(byte[] rsaPrivateKey) {
        return sequence(VERSION_0, RSA_ALGORITHM, tlv(0x04, rsaPrivateKey));
    }

    /** SEC1 {@code ECPrivateKey}, which must name its curve (openssl's and Go's always do), to PKCS#8. */
    static byte[] fromSec1(byte[] ecPrivateKey) throws TlsMaterialException {
        byte[] curve = curveOf(ecPrivateKey);
        return sequence(VERSION_0, sequence(EC_PUBLIC_KEY, curve), tlv(0x04, ecPrivateKey));
    }

    /** The named-curve OID (tag and all) in the {@code [0] parameters} of an {@code ECPrivateKey}. */
    private static byte[] curveOf(byte[] der) throws TlsMaterialException {
        try {
            Reader outer = new Reader(der, 0);
            Reader fields = outer.enter(0x30);
            fields.skip(0x02); // version
            fields.skip(0x04); // privateKey
            if (fields.atEnd() || fields.peekTag() != 0xa0) {
                throw new TlsMaterialException(TlsMaterialException.Part.KEY, "EC private key does not name its curve");
            }
            Reader parameters = fields.enter(0xa0);
            int start = parameters.position;
            parameters.skip(0x06);
            return Arrays.copyOfRange(der, start, parameters.position);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new TlsMaterialException(TlsMaterialException.Part.KEY, "EC private key is not valid DER");
        }
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return tlv(0x30, content.toByteArray());
    }

    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** Reads DER elements between {@code position} and {@code end}; definite lengths only. */
    private static final class Reader {
        private final byte[] der;
        private int position;
        private final int end;

        Reader(byte[] der, int position) {
            this(der, position, der.length);
        }

        private Reader(byte[] der, int position, int end) {
            this.der = der;
            this.position = position;
            this.end = end;
        }

        boolean atEnd() {
            return position >= end;
        }

        int peekTag() {
            return der[position] & 0xff;
        }

        /** Steps into the element with {@code tag}, past it for this reader. */
        Reader enter(int tag) {
            int length = header(tag);
            Reader inner = new Reader(der, position, position + length);
            position += length;
            return inner;
        }

        void skip(int tag) {
            int length = header(tag); // before the addition: header moves position past tag and length
            position += length;
        }

        /** Reads tag and length, checks both; returns the length. */
        private int header(int tag) {
            if (atEnd() || peekTag() != tag) {
                throw new IllegalArgumentException("expected tag " + tag);
            }
            position++;
            int first = der[position++] & 0xff;
            int length = first;
            if (first >= 0x80) {
                int bytes = first & 0x7f;
                if (bytes == 0 || bytes > 3) {
                    throw new IllegalArgumentException("unsupported length");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (der[position++] & 0xff);
                }
            }
            if (length > end - position) {
                throw new IllegalArgumentException("length beyond the end");
            }
            return length;
        }
    }
}
