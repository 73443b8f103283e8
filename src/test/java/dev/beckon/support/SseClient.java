package dev.beckon.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A device listening to {@code GET /events}: parses the Server-Sent Events as they come and
 * remembers the last event id, as a browser's EventSource does.
 */
public final class SseClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** One SSE event: its id, its name (the CloudEvent type) and the CloudEvent. */
    public record Event(String id, String name, JsonNode cloudEvent) {

        public JsonNode data() {
            return cloudEvent.get("data");
        }

        public String invitationId() {
            return data().path("invitationId").asText(null);
        }
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<Event> all = new ArrayList<>();
    private final Thread reader;
    private volatile InputStream body;
    private volatile String lastEventId;
    private volatile int status;
    private volatile int comments;

    private SseClient(HttpRequest request) {
        this.reader = new Thread(() -> read(request), "sse-client");
        this.reader.setDaemon(true);
    }

    /** Connects as the holder of {@code token}, resuming after {@code lastEventId} when it is not null. */
    public static SseClient connect(String token, String lastEventId) {
        return connect(baseUrl(), token, lastEventId);
    }

    /** The same against a Beckon at {@code base} (e.g. a packaged one started by the test). */
    public static SseClient connect(String base, String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/events"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        SseClient client = new SseClient(request.build());
        client.reader.start();
        client.awaitOpen();
        return client;
    }

    public static SseClient connect(String token) {
        return connect(token, null);
    }

    /** Where the user's stream stands now: a device connects, notes the id it opened with and goes away. */
    public static String positionNow(String token) {
        try (SseClient device = connect(token)) {
            return device.lastEventId();
        }
    }

    public static String baseUrl() {
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.http.test-port", Integer.class).orElse(8081);
        return "http://127.0.0.1:" + port;
    }

    private void read(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            body = response.body();
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String id = null, name = null;
            StringBuilder data = new StringBuilder();
            boolean comment = false;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (id != null) {
                        lastEventId = id;
                    }
                    if (data.length() > 0) {
                        Event event = new Event(lastEventId, name, JSON.readTree(data.toString()));
                        synchronized (all) {
                            all.add(event);
                        }
                        events.add(event);
                    } else if (comment) {
                        comments++;
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                    comment = false;
                } else if (line.startsWith(":")) {
                    comment = true;
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                }
            }
        } catch (IOException | InterruptedException e) {
            // closed
        }
    }

    private void awaitOpen() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lastEventId == null && status < 400 && System.nanoTime() < deadline) {
            if (status >= 400) {
                break;
            }
            Pause.sleep(5);
        }
        if (lastEventId == null && status < 400) {
            throw new IllegalStateException("The event stream did not open (status " + status + ")");
        }
    }

    public int status() {
        return status;
    }

    public String lastEventId() {
        return lastEventId;
    }

    public int heartbeats() {
        return comments;
    }

    /** Waits for the next event that matches, skipping others; fails after {@code timeout}. */
    public Event await(Predicate<Event> which, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Event event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
                if (event == null) {
                    throw new AssertionError("No matching event within " + timeout + "; got " + received());
                }
                if (which.test(event)) {
                    return event;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Event await(String type, String invitationId) {
        return await(e -> type.equals(e.name()) && invitationId.equals(e.invitationId()), Duration.ofSeconds(5));
    }

    /** Every event received so far. */
    public List<Event> received() {
        synchronized (all) {
            return new ArrayList<>(all);
        }
    }

    public List<Event> received(String type, String invitationId) {
        return received().stream().filter(e -> type.equals(e.name()) && invitationId.equals(e.invitationId())).toList();
    }

    @Override
    public void close() {
        try {
            InputStream in = body;
            if (in != null) {
                in.close();
            }
        } catch (IOException ignored) {
            // already closed
        }
        reader.interrupt();
    }
}
