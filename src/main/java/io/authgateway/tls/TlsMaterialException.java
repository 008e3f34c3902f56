package io.authgateway.tls;

/**
 * Certificate or key material that cannot be used, with a short message for the log and the
 * start-up error, and which file it is about so the caller can name the flag that set it.
 */
public final class TlsMaterialException extends Exception {

    /** Which of the files, or the pair of them, the problem is in. */
    public enum Part { CERTIFICATE, KEY, PAIR, CA }

    private final Part part;

    public TlsMaterialException(Part part, String message) {
        super(message);
        this.part = part;
    }

    public TlsMaterialException(Part part, String message, Throwable cause) {
        super(message, cause);
        this.part = part;
    }

    public Part part() {
        return part;
    }
}
