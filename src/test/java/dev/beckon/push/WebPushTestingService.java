package dev.beckon.push;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Web Push service for the tests: the npm package {@code web-push-testing} (pinned in
 * {@code src/test/push-service/package-lock.json}, installed with {@code npm ci} into
 * {@code target/push-service}), which checks the VAPID JWT against the subscription's
 * application server key and decrypts each RFC 8291 body with {@code http_ece}. Runs on
 * 127.0.0.1 and a free port; {@code start.js} also keeps the headers of each push received.
 */
public final class WebPushTestingService implements AutoCloseable {

    private static final Path SOURCE = Path.of("src", "test", "push-service");
    private static final Path INSTALL = Path.of("target", "push-service");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A browser's subscription, as {@code PushSubscription.toJSON()} gives it, plus the service's handle on it. */
    public record Subscription(String endpoint, String p256dh, String auth, String clientHash) {
    }

    private final Process process;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private WebPushTestingService(Process process, int port) {
        this.process = process;
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    public static WebPushTestingService start() throws IOException, InterruptedException {
        install();
        Process process = new ProcessBuilder("node", "start.js").directory(INSTALL.toFile()).redirectErrorStream(true).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "web-push-testing-stop"));
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = output.readLine()) != null;) {
                    if (line.startsWith("listening ")) {
                        port.complete(Integer.parseInt(line.substring("listening ".length()).strip()));
                    }
                }
                port.completeExceptionally(new IllegalStateException("web-push-testing exited before listening"));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        }, "web-push-testing-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new WebPushTestingService(process, port.get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("web-push-testing did not start", e);
        }
    }

    /** {@code npm ci} into target/, again only when the lock file changed. */
    private static synchronized void install() throws IOException, InterruptedException {
        Path lock = SOURCE.resolve("package-lock.json");
        Path installedLock = INSTALL.resolve("package-lock.json");
        boolean current = Files.exists(INSTALL.resolve("node_modules/web-push-testing/package.json"))
                && Files.exists(installedLock) && Files.mismatch(lock, installedLock) == -1;
        Files.createDirectories(INSTALL);
        for (String file : List.of("package.json", "package-lock.json", "start.js")) {
            Files.copy(SOURCE.resolve(file), INSTALL.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (current) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(INSTALL.toFile())
                .redirectErrorStream(true).redirectOutput(INSTALL.resolve("npm-ci.log").toFile()).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm ci in " + INSTALL + " failed; see " + INSTALL.resolve("npm-ci.log")
                    + " (Node 20+ and npm are needed for the Web Push tests)");
        }
    }

    /** What {@code pushManager.subscribe({applicationServerKey})} does in a browser. */
    public Subscription subscribe(String applicationServerKey) throws IOException, InterruptedException {
        JsonNode data = post("/subscribe", Map.of("applicationServerKey", applicationServerKey)).get("data");
        return new Subscription(data.get("endpoint").asText(), data.at("/keys/p256dh").asText(), data.at("/keys/auth").asText(),
                data.get("clientHash").asText());
    }

    /** The subscription is gone: later pushes to it are answered 410. */
    public void expire(Subscription subscription) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/expire-subscription/" + subscription.clientHash()))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("expire-subscription answered " + response.statusCode() + " " + response.body());
        }
    }

    /** The decrypted messages the subscription received, in order. */
    public List<String> messages(Subscription subscription) throws IOException, InterruptedException {
        JsonNode messages = post("/get-notifications", Map.of("clientHash", subscription.clientHash())).at("/data/messages");
        List<String> out = new ArrayList<>();
        messages.forEach(message -> out.add(message.asText()));
        return out;
    }

    /** The request headers of each push the subscription received (names in lower case). */
    public List<Map<String, String>> headers(Subscription subscription) throws IOException, InterruptedException {
        return JSON.convertValue(post("/received-headers", Map.of("clientHash", subscription.clientHash())).get("data"),
                new TypeReference<List<Map<String, String>>>() {
                });
    }

    private JsonNode post(String path, Map<String, String> body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
