package dev.beckon.push;

import java.net.URI;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PfxOptions;

/**
 * Apple's side of APNs, strict where Apple is: HTTP/2 only, over TLS (a certificate made for
 * the test by keytool), {@code POST /3/device/<token>} with a provider token whose ES256
 * signature verifies (jose4j) against the team's key, with the right {@code kid}, {@code iss}
 * and an {@code iat} less than an hour old, and the headers Apple requires. It records each
 * push and answers chosen device tokens as APNs does for an unregistered or a bad token.
 */
final class ApnsStandIn implements AutoCloseable {

    static final String KEY_ID = "ABC123DEFG";
    static final String TEAM_ID = "DEF123GHIJ";
    static final String TOPIC = "dev.beckon.example";

    /** One push as received. */
    record Received(HttpVersion version, String deviceToken, Map<String, String> headers, String body, String providerToken) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final ECPublicKey teamKey;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();

    ApnsStandIn(TestCertificate certificate, ECPublicKey teamKey) throws Exception {
        this.teamKey = teamKey;
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true).setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2))
                .setKeyCertOptions(new PfxOptions().setPath(certificate.keyStore().toString()).setPassword(TestCertificate.PASSWORD));
        server = vertx.createHttpServer(options).requestHandler(this::handle).listen().toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    URI baseUrl() {
        return URI.create("https://127.0.0.1:" + server.actualPort());
    }

    /** The next pushes to that device get this answer: "410 Unregistered", "400 BadDeviceToken", ... */
    void answer(String deviceToken, String statusAndReason) {
        answers.put(deviceToken, statusAndReason);
    }

    List<Received> received() {
        return received;
    }

    List<String> refusals() {
        return refusals;
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            String path = request.path();
            if (request.version() != HttpVersion.HTTP_2) {
                refuse(request, 505, "HttpVersionNotSupported", "HTTP version " + request.version());
                return;
            }
            if (!request.method().name().equals("POST") || !path.startsWith("/3/device/")) {
                refuse(request, 405, "MethodNotAllowed", request.method() + " " + path);
                return;
            }
            String authorization = request.getHeader("authorization");
            if (authorization == null || !authorization.startsWith("bearer ")) {
                refuse(request, 403, "MissingProviderToken", "no bearer provider token");
                return;
            }
            String token = authorization.substring("bearer ".length());
            String problem = verify(token);
            if (problem != null) {
                refuse(request, 403, "InvalidProviderToken", problem);
                return;
            }
            for (String required : List.of("apns-topic", "apns-push-type")) {
                if (request.getHeader(required) == null) {
                    refuse(request, 400, "MissingTopic", "no " + required);
                    return;
                }
            }
            String deviceToken = path.substring("/3/device/".length());
            Map<String, String> headers = new java.util.TreeMap<>();
            request.headers().forEach(header -> headers.put(header.getKey().toLowerCase(java.util.Locale.ROOT), header.getValue()));
            received.add(new Received(request.version(), deviceToken, headers, body.toString(), token));
            String answer = answers.get(deviceToken);
            if (answer == null) {
                request.response().putHeader("apns-id", java.util.UUID.randomUUID().toString()).setStatusCode(200).end();
                return;
            }
            int space = answer.indexOf(' ');
            request.response().setStatusCode(Integer.parseInt(answer.substring(0, space))).putHeader("content-type", "application/json")
                    .end("{\"reason\":\"" + answer.substring(space + 1) + "\"}");
        });
    }

    /** Null when the provider token is one Apple would take. */
    private String verify(String token) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setCompactSerialization(token);
            jws.setKey(teamKey);
            if (!AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256.equals(jws.getAlgorithmHeaderValue())) {
                return "alg " + jws.getAlgorithmHeaderValue();
            }
            if (!jws.verifySignature()) {
                return "signature does not verify";
            }
            if (!KEY_ID.equals(jws.getKeyIdHeaderValue())) {
                return "kid " + jws.getKeyIdHeaderValue();
            }
            JwtClaims claims = JwtClaims.parse(jws.getPayload());
            if (!TEAM_ID.equals(claims.getIssuer())) {
                return "iss " + claims.getIssuer();
            }
            long age = Instant.now().getEpochSecond() - claims.getIssuedAt().getValue();
            if (age > 3600 || age < -60) {
                return "iat " + age + " s ago";
            }
            return null;
        } catch (Exception e) {
            return e.toString();
        }
    }

    private void refuse(HttpServerRequest request, int status, String reason, String why) {
        refusals.add(why);
        request.response().setStatusCode(status).putHeader("content-type", "application/json").end("{\"reason\":\"" + reason + "\"}");
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Paths of a fresh self-signed certificate for 127.0.0.1/localhost: the key store the server uses, the PEM a client trusts. */
    record TestCertificate(Path keyStore, Path pem) {
        static final String PASSWORD = "stand-in";

        static TestCertificate create(Path directory) throws Exception {
            Path keyStore = directory.resolve("apns-stand-in.p12");
            Path pem = directory.resolve("apns-stand-in.pem");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            run(keytool, "-genkeypair", "-alias", "apns", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                    "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            run(keytool, "-exportcert", "-rfc", "-alias", "apns", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                    "-file", pem.toString());
            return new TestCertificate(keyStore, pem);
        }

        private static void run(String... command) throws Exception {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        }
    }
}
