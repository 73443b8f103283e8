package dev.beckon.push;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.handler.codec.http2.Http2Exception;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * The HTTP the senders share: Vert.x' non-blocking client, so a push costs no thread of its own
 * (the JDK client completes every asynchronous send on a thread of the common pool, which on a
 * small machine means a new thread per push). Each request has a connect deadline and a total
 * deadline, after which it is reset; the connections per host and the requests waiting for one
 * are bounded. Over TLS the client offers HTTP/2 by ALPN (or only HTTP/2, for APNs); plain
 * {@code http:} (a local stand-in) speaks HTTP/1.1, or HTTP/2 with prior knowledge when only
 * HTTP/2 is allowed. Answers are read up to {@link #MAX_BODY} bytes: a push service's answer is
 * small, and a subscription's endpoint is chosen by a browser, not by us.
 */
public final class PushHttp {

    /** What is kept of an answer's body. */
    static final int MAX_BODY = 8 * 1024;

    /** A push service's answer: its status, headers and (the start of) its body. */
    public record Answer(int status, MultiMap headers, String body) {
    }

    private final HttpClient secure;
    private final HttpClient plain;
    private final Vertx vertx;
    private final Duration timeout;

    private PushHttp(Vertx vertx, HttpClient secure, HttpClient plain, Duration timeout) {
        this.vertx = vertx;
        this.secure = secure;
        this.plain = plain;
        this.timeout = timeout;
    }

    /**
     * A client with at most {@code connections} connections per host and as many requests
     * waiting for one; {@code trustPem} replaces the JVM's trust store (a private CA or a
     * stand-in's certificate); {@code h2Only} offers nothing but HTTP/2.
     */
    public static PushHttp open(Vertx vertx, Duration timeout, int connections, Optional<String> trustPem, boolean h2Only) {
        HttpClientOptions tls = options(timeout, connections).setSsl(true).setUseAlpn(true).setVerifyHost(true)
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setAlpnVersions(h2Only ? List.of(HttpVersion.HTTP_2) : List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
        trustPem.ifPresent(pem -> tls.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pem))));
        HttpClientOptions clear = options(timeout, connections);
        if (h2Only) {
            clear.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
        } else {
            clear.setProtocolVersion(HttpVersion.HTTP_1_1);
        }
        return new PushHttp(vertx, vertx.createHttpClient(tls), vertx.createHttpClient(clear), timeout);
    }

    private static HttpClientOptions options(Duration timeout, int connections) {
        int bound = Math.max(1, connections);
        return new HttpClientOptions().setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setKeepAlive(true).setKeepAliveTimeout(30).setPipelining(false)
                .setMaxPoolSize(bound).setHttp2MaxPoolSize(Math.max(1, bound / 16)).setMaxWaitQueueSize(bound)
                .setTryUseCompression(false);
    }

    /**
     * POSTs {@code body} to {@code uri}. Completes (on an event loop) with the answer, or
     * exceptionally when no answer came within the deadline or the connection failed.
     */
    public CompletableFuture<Answer> post(URI uri, Map<String, String> headers, Buffer body) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(uri.toString())
                .setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis()).setFollowRedirects(false);
        headers.forEach(request::putHeader);
        HttpClient client = "https".equalsIgnoreCase(uri.getScheme()) ? secure : plain;
        Promise<Answer> answer = Promise.promise();
        long deadline = vertx.setTimer(Math.max(1, timeout.toMillis()),
                id -> answer.tryFail(new TimeoutException("no answer within " + timeout.toMillis() + " ms")));
        client.request(request).onFailure(answer::tryFail).onSuccess(sent -> {
            answer.future().onFailure(failure -> sent.reset());
            sent.send(body).onFailure(answer::tryFail).onSuccess(response -> read(response, answer));
        });
        return answer.future().onComplete(done -> vertx.cancelTimer(deadline))
                .toCompletionStage().toCompletableFuture();
    }

    /** Reads at most {@link #MAX_BODY} bytes of the body and drops the rest. */
    private static void read(HttpClientResponse response, Promise<Answer> answer) {
        Buffer kept = Buffer.buffer();
        response.exceptionHandler(answer::tryFail);
        response.handler(chunk -> {
            int room = MAX_BODY - kept.length();
            if (room > 0) {
                kept.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
            }
        });
        response.endHandler(end -> answer.tryComplete(
                new Answer(response.statusCode(), response.headers(), kept.toString(StandardCharsets.UTF_8))));
    }

    /** {@code Retry-After} as delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
    public static Optional<Duration> retryAfter(Answer answer, Clock clock) {
        return Optional.ofNullable(answer.headers().get("retry-after")).flatMap(value -> {
            String v = value.strip();
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration wait = Duration.between(clock.instant(), at.toInstant());
                    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                } catch (DateTimeParseException notDate) {
                    return Optional.empty();
                }
            }
        });
    }

    /** A failure before any answer (refused, reset, timed out): the push service may well be back soon. */
    public static PushOutcome transportFailure(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        // Vert.x reports its connect and idle deadlines with TimeoutException subclasses of its own
        if (cause instanceof TimeoutException || cause.getClass().getSimpleName().endsWith("TimeoutException")) {
            return PushOutcome.retry("timed out");
        }
        if (cause instanceof Http2Exception || cause instanceof io.vertx.core.http.StreamResetException) {
            return PushOutcome.retry("HTTP/2: " + cause.getMessage());
        }
        return PushOutcome.retry(cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }

    /**
     * Whether a warning about the same standing problem (rejected credentials) may be logged now:
     * once a minute, not once per push.
     */
    public static boolean warnNow(AtomicLong lastWarning) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        return (last == 0 || now - last > WARNING_INTERVAL) && lastWarning.compareAndSet(last, now);
    }

    private static final long WARNING_INTERVAL = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

    /** The first characters of a body, for a reason in the logs. */
    public static String snippet(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }

    /** Checks that a PEM holds at least one X.509 certificate, and gives it back to be trusted. */
    public static String certificates(String pem) throws GeneralSecurityException {
        if (CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).isEmpty()) {
            throw new GeneralSecurityException("no certificate in the PEM");
        }
        return pem;
    }
}
