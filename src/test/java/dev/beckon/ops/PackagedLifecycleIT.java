package dev.beckon.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.beckon.redis.EmbeddedRedisServer;
import dev.beckon.support.ServiceProcess;
import dev.beckon.support.WebhookReceiver;

/**
 * The packaged application as an operator runs it: a SIGTERM while streams are open, calls are
 * ringing and webhooks are being delivered is a clean stop (no ERROR line), a start without its
 * settings names each missing one in a log line of its own, and a token minted with
 * {@code deploy/mint-token.sh} (openssl only) is accepted.
 */
class PackagedLifecycleIT {

    private static EmbeddedRedisServer redis;
    private static WebhookReceiver webhooks;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void backingServices() {
        redis = new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start();
        webhooks = WebhookReceiver.start();
    }

    @AfterAll
    static void stopBackingServices() {
        redis.stop();
        webhooks.stop();
    }

    @Test
    void aStopUnderTrafficLogsNoError() throws Exception {
        for (boolean json : new boolean[] { false, true }) {
            Map<String, String> env = ServiceProcess.productionSettings(redis.uri());
            env.put("BECKON_WEBHOOK_URL", webhooks.url());
            env.put("BECKON_WEBHOOK_SECRET", webhooks.secret());
            env.put("BECKON_LOG_JSON", Boolean.toString(json));
            ServiceProcess beckon = ServiceProcess.startPackaged(EmbeddedRedisServer.freePort(), env);
            List<java.util.concurrent.CompletableFuture<HttpResponse<Void>>> streams = new ArrayList<>();
            int before;
            try {
                String alice = mint("alice", false), bob = mint("bob", false);
                for (String token : List.of(alice, bob, bob)) {
                    streams.add(http.sendAsync(HttpRequest.newBuilder(URI.create(beckon.baseUrl() + "/events"))
                            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()));
                }
                Thread.sleep(500);
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> created = post(beckon, "/createConference", alice,
                            "{\"participants\":[{\"userId\":\"bob\"}],\"settings\":{\"ringTimeoutSeconds\":5}}");
                    assertEquals(200, created.statusCode(), created.body());
                }
                // let the sweeper, the webhook loop and the heartbeats run a while
                Thread.sleep(2_000);
            } finally {
                before = beckon.output().length();
                beckon.terminate();
            }
            String output = beckon.output().substring(before);
            assertTrue(output.contains("stopped in"), output);
            List<String> errors = output.lines().filter(line -> line.contains("ERROR") || line.contains("WARN")).toList();
            assertTrue(errors.isEmpty(), "ERROR or WARN lines on a clean stop (json=" + json + "):\n" + String.join("\n", errors) + "\n\n" + output);
            assertFalse(output.contains("Error Occurred After Shutdown"), output);
        }
    }

    @Test
    void aStartWithoutSettingsNamesEachMissingOneReadably() throws Exception {
        for (boolean json : new boolean[] { false, true }) {
            Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString()).redirectErrorStream(true);
            builder.environment().keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.startsWith("MP_JWT") || name.startsWith("BECKON_"));
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(EmbeddedRedisServer.freePort()));
            builder.environment().put("BECKON_LOG_JSON", Boolean.toString(json));
            Process process = builder.start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "Beckon kept running without its settings");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, process.exitValue(), output);
            List<String> lines = output.lines().filter(line -> line.contains("Beckon cannot start: ") && !line.contains("(logged above)")).toList();
            assertTrue(output.contains("Beckon cannot start: 3 settings need fixing (logged above)."), output);
            assertEquals(3, lines.size(), output);
            assertTrue(lines.get(0).contains("QUARKUS_REDIS_HOSTS"), output);
            assertTrue(lines.get(1).contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION"), output);
            assertTrue(lines.get(2).contains("BECKON_TOKEN_KEY_LOCATION"), output);
            for (String line : lines) {
                assertTrue(line.length() < 600, "a line is short enough to read: " + line);
                assertFalse(line.contains("\\n"), line);
                if (json) {
                    assertTrue(line.startsWith("{") && line.contains("\"message\":\"Beckon cannot start: "), line);
                    assertFalse(line.contains("\"exception\""), line);
                }
            }
            assertFalse(output.contains("Failed to start application"), output);
            assertFalse(output.contains("\tat "), "no stack trace: " + output);
        }
    }

    @Test
    void aTokenMintedWithOpensslIsAcceptedAndTheApiIsDescribed() throws Exception {
        ServiceProcess beckon = ServiceProcess.startPackaged(EmbeddedRedisServer.freePort(), ServiceProcess.productionSettings(redis.uri()));
        try {
            HttpResponse<String> user = post(beckon, "/listInvitations", mint("alice", false), "{\"direction\":\"incoming\"}");
            assertEquals(200, user.statusCode(), user.body());
            HttpResponse<String> server = post(beckon, "/listInvitations", mint("backend", true), "{\"direction\":\"incoming\",\"as\":\"alice\"}");
            assertEquals(200, server.statusCode(), server.body());
            HttpResponse<String> forged = post(beckon, "/listInvitations", mint("alice", false) + "x", "{\"direction\":\"incoming\"}");
            assertEquals(401, forged.statusCode(), forged.body());

            // production serves the API description and Swagger UI, as the README says
            HttpResponse<String> ui = http.send(HttpRequest.newBuilder(URI.create(beckon.baseUrl() + "/q/swagger-ui/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ui.statusCode());
            HttpResponse<String> openapi = http.send(HttpRequest.newBuilder(URI.create(beckon.baseUrl() + "/q/openapi?format=json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, openapi.statusCode());
            String description = new com.fasterxml.jackson.databind.ObjectMapper().readTree(openapi.body()).path("info").path("description").asText();
            assertTrue(description.contains("`POST /{function}`"), description);
            // Swagger UI renders the description as Markdown, where a bare <word> is swallowed as an HTML tag
            assertFalse(description.contains("<"), description);
        } finally {
            beckon.close();
        }
    }

    private HttpResponse<String> post(ServiceProcess beckon, String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(beckon.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A token from deploy/mint-token.sh, signed with the application's test key. */
    static String mint(String subject, boolean server) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "deploy/mint-token.sh", "-k", "target/test-classes/keys/app-private.pem",
                "-i", dev.beckon.support.Tokens.ISSUER, "-s", subject, "-n", "Name of " + subject));
        if (server) {
            command.add("--server");
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String token = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertEquals(0, process.waitFor(), "mint-token.sh failed");
        assertTrue(token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), token);
        return token;
    }
}
