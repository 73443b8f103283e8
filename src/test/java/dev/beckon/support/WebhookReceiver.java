package dev.beckon.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;

/**
 * The application's backend as far as webhooks go: a loopback HTTP server that verifies each
 * request with the off-the-shelf {@code standardwebhooks} library and records it. It can be
 * told to fail the first attempts of some events, to exercise retries, and be taken down
 * (nothing listens on its port), brought back up, or set flapping between the two.
 */
public final class WebhookReceiver {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received, with whether its signature verified. */
    public record Received(String webhookId, long timestamp, String contentType, String body, JsonNode event,
            boolean verified, int answeredWith) {
    }

    private volatile HttpServer server;
    private final int port;
    private final String secret;
    private final ScheduledExecutorService flapper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "webhook-receiver-flapper");
        thread.setDaemon(true);
        return thread;
    });
    private volatile ScheduledFuture<?> flapping;
    private final Webhook verifier;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
    private volatile Predicate<JsonNode> failing = e -> false;
    private volatile int failFirst;

    private WebhookReceiver(HttpServer server, String secret) throws Exception {
        this.server = server;
        this.port = server.getAddress().getPort();
        this.secret = secret;
        this.verifier = new Webhook(secret);
    }

    public static WebhookReceiver start() {
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            WebhookReceiver receiver = new WebhookReceiver(server, secret);
            receiver.serve(server);
            return receiver;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void serve(HttpServer on) {
        on.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
            int status = handle(body, headers);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        on.setExecutor(Executors.newFixedThreadPool(4));
        on.start();
    }

    /** Nothing listens on the receiver's port any more: attempts fail with connection refused. */
    public synchronized void down() {
        stopFlapping();
        goDown();
    }

    /** Listens again, on the same port. */
    public synchronized void up() {
        stopFlapping();
        goUp();
    }

    /** Goes down and up again every {@code period}. */
    public synchronized void flapping(Duration period) {
        stopFlapping();
        flapping = flapper.scheduleAtFixedRate(() -> {
            synchronized (this) {
                if (server == null) {
                    goUp();
                } else {
                    goDown();
                }
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopFlapping() {
        if (flapping != null) {
            flapping.cancel(false);
            flapping = null;
        }
    }

    private void goDown() {
        if (server != null) {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }

    private void goUp() {
        if (server == null) {
            try {
                HttpServer again = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                serve(again);
                server = again;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private int handle(String body, Map<String, List<String>> headers) {
        boolean verified;
        try {
            verifier.verify(body, headers);
            verified = true;
        } catch (Exception e) {
            verified = false;
        }
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (IOException e) {
            event = JSON.createObjectNode();
        }
        String id = first(headers, "webhook-id");
        int attempt = attemptsById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        int status = failing.test(event) && attempt <= failFirst ? 503 : 204;
        received.add(new Received(id, Long.parseLong(first(headers, "webhook-timestamp")), first(headers, "content-type"),
                body, event, verified, status));
        return status;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? "0" : values.get(0);
    }

    /** From now on, answer 503 to the first {@code attempts} attempts of every event matching {@code which}. */
    public void failFirstAttempts(int attempts, Predicate<JsonNode> which) {
        this.failFirst = attempts;
        this.failing = which;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** The requests about {@code invitationId} of one event type addressed to {@code subject}. */
    public List<Received> about(String subject, String type, String invitationId) {
        return received.stream()
                .filter(r -> subject.equals(r.event().path("subject").asText()))
                .filter(r -> type.equals(r.event().path("type").asText()))
                .filter(r -> invitationId.equals(r.event().path("data").path("invitationId").asText()))
                .toList();
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/hooks";
    }

    public String secret() {
        return secret;
    }

    public void stop() {
        stopFlapping();
        flapper.shutdownNow();
        goDown();
    }
}
