package io.authgateway.server;

import io.authgateway.codec.BodyFraming;
import io.authgateway.codec.HttpProtocolException;
import io.authgateway.codec.HttpSyntax;
import io.authgateway.codec.RequestHead;
import io.authgateway.codec.RequestTarget;


/**
 * What the server decides about a request head before any handler sees it (RFC 9112 §3, §6, §9;
 * RFC 9110 §9.3, §10.1.1). A head that breaks a rule is an {@link HttpProtocolException} with the
 * status the server answers before closing the connection: 400 for a target that is not in origin
 * form, a missing or repeated {@code Host}, uncertain framing; 501 for an unknown transfer coding;
 * 405 for {@code CONNECT} and {@code TRACE} (a reverse proxy tunnels nothing and echoes nothing);
 * 417 for an expectation other than {@code 100-continue}.
 *
 * @param target          the parsed request target
 * @param framing         how the request body is delimited
 * @param expectsContinue the client waits for {@code 100 Continue} before it sends its body
 * @param closeAfter      the client asked to close the connection after this exchange
 */
record RequestRules(RequestTarget target, BodyFraming framing, boolean expectsContinue, boolean closeAfter) {

    /** The methods the gateway serves, for the {@code Allow} header of 405 and {@code OPTIONS *}. */
    static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    static RequestRules admit(RequestHead head) throws HttpProtocolException {
        String method = head.method();
        if (method.equals("CONNECT") || method.equals("TRACE")) {
            throw new HttpProtocolException(405, method + " is not served");
        }
        RequestTarget target = RequestTarget.parse(head.target());
        if (target.isAsterisk() && !method.equals("OPTIONS")) {
            throw HttpProtocolException.invalid("asterisk target without OPTIONS");
        }
        head.host();
        BodyFraming framing = BodyFraming.ofRequest(head.headers(), head.http10());
        return new RequestRules(target, framing, expectsContinue(head, framing), closeAfter(head));
    }

    /** RFC 9110 §10.1.1: {@code 100-continue} is the only expectation; an HTTP/1.0 client's is ignored. */
    private static boolean expectsContinue(RequestHead head, BodyFraming framing) throws HttpProtocolException {
        String expect = head.headers().getFirst("Expect");
        if (expect == null || head.http10()) {
            return false;
        }
        if (!expect.equalsIgnoreCase("100-continue") || head.headers().get("Expect").size() != 1) {
            throw new HttpProtocolException(417, "unsupported expectation");
        }
        return !(framing instanceof BodyFraming.None);
    }

    /** HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes it unless told to keep it. */
    private static boolean closeAfter(RequestHead head) {
        var connection = head.headers().get("Connection");
        return head.http10() ? !HttpSyntax.hasToken(connection, "keep-alive") : HttpSyntax.hasToken(connection, "close");
    }
}
