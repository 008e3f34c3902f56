package io.authgateway.jdkclient;

import io.authgateway.codec.BodyFraming;
import io.authgateway.codec.HttpProtocolException;
import io.authgateway.codec.HttpSyntax;
import io.authgateway.codec.WireHeaders;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The body handler of the JDK client: before a byte of the body is taken, the codec's rules are
 * applied to the head as java.net.http parsed it (field syntax, one unambiguous framing, the status
 * range). A head that breaks them gets a subscriber that cancels at once, which makes the JDK
 * client close that connection instead of pooling it, and an empty body; {@link #refusal()} says
 * why. What java.net.http normalises before the gateway sees it (a bare LF, obs-fold, bytes after
 * the end of an answer) cannot be checked here: its API hands over no raw bytes.
 */
final class CheckedAnswer implements HttpResponse.BodyHandler<InputStream> {

    private final String method;
    private volatile BodyFraming framing;
    private volatile HttpProtocolException refusal;

    CheckedAnswer(String method) {
        this.method = method;
    }

    @Override
    public HttpResponse.BodySubscriber<InputStream> apply(HttpResponse.ResponseInfo info) {
        try {
            framing = check(method, info);
            return HttpResponse.BodySubscribers.ofInputStream();
        } catch (HttpProtocolException e) {
            refusal = e;
            return new Refusing();
        }
    }

    BodyFraming framing() {
        return framing;
    }

    /** Why the answer was refused, or null. */
    HttpProtocolException refusal() {
        return refusal;
    }

    private static BodyFraming check(String method, HttpResponse.ResponseInfo info) throws HttpProtocolException {
        WireHeaders headers = new WireHeaders();
        for (Map.Entry<String, List<String>> field : info.headers().map().entrySet()) {
            if (!HttpSyntax.isToken(field.getKey()) || !field.getValue().stream().allMatch(HttpSyntax::isFieldValue)) {
                throw HttpProtocolException.invalid("invalid header field");
            }
            field.getValue().forEach(value -> headers.add(field.getKey(), value));
        }
        if (info.statusCode() < 100 || info.statusCode() > 999) {
            throw HttpProtocolException.invalid("status code out of range");
        }
        return BodyFraming.ofResponse(method, info.statusCode(), headers);
    }

    /** Takes nothing: the subscription is cancelled at once, and the JDK client drops the connection. */
    private static final class Refusing implements HttpResponse.BodySubscriber<InputStream> {
        @Override
        public CompletionStage<InputStream> getBody() {
            return CompletableFuture.completedFuture(InputStream.nullInputStream());
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }
}
