package dev.beckon.push;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.beckon.auth.Pem;

/**
 * Google's side of FCM HTTP v1, strict where Google is: a token endpoint that exchanges only a
 * JWT assertion signed by the service account's key (verified with jose4j) with the right
 * issuer, scope, audience and lifetime, and {@code messages:send}, which takes only a bearer
 * token it issued. It writes the service-account JSON file (a key pair of its own), records the
 * messages, and answers for chosen registration tokens as FCM does for an unregistered device,
 * a quota exceeded (429 with Retry-After) or an internal error.
 */
final class FcmStandIn implements AutoCloseable {

    static final String PROJECT = "beckon-test";
    static final String CLIENT_EMAIL = "beckon@beckon-test.iam.gserviceaccount.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One service-account key for every test: RSA key generation is the slow part. */
    private static final KeyPair KEY = rsaKey();

    /** How the stand-in answers a send to one registration token. */
    enum Answer {
        OK, UNREGISTERED, QUOTA_EXCEEDED, INTERNAL, INVALID_ARGUMENT
    }

    private final HttpServer server;
    private final KeyPair serviceAccountKey;
    private final Path serviceAccountFile;
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private volatile long expiresIn = 3600;

    FcmStandIn(Path directory) throws Exception {
        serviceAccountKey = KEY;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/v1/projects/", this::send);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        ObjectNode account = JSON.createObjectNode().put("type", "service_account").put("project_id", PROJECT)
                .put("private_key_id", "k1").put("private_key", Pem.writePrivateKey(serviceAccountKey.getPrivate()))
                .put("client_email", CLIENT_EMAIL).put("token_uri", tokenUri().toString());
        serviceAccountFile = directory.resolve("service-account.json");
        Files.writeString(serviceAccountFile, account.toPrettyString());
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    URI tokenUri() {
        return baseUrl().resolve("/token");
    }

    Path serviceAccountFile() {
        return serviceAccountFile;
    }

    void answer(String registrationToken, Answer answer) {
        answers.put(registrationToken, answer);
    }

    /** The lifetime of the access tokens it issues from now on. */
    void tokenLifetime(long seconds) {
        expiresIn = seconds;
    }

    /** Forgets every token it issued, as when Google revokes them. */
    void revokeTokens() {
        issued.clear();
    }

    int tokenRequests() {
        return tokenRequests.get();
    }

    List<JsonNode> messages() {
        return messages;
    }

    /** Why it refused requests (a bad assertion, an unknown bearer token); empty when all was well. */
    List<String> refusals() {
        return refusals;
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        Map<String, String> form = form(read(exchange.getRequestBody()));
        if (!"POST".equals(exchange.getRequestMethod())
                || !"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
            refuse(exchange, 400, "{\"error\":\"unsupported_grant_type\"}", "grant_type " + form.get("grant_type"));
            return;
        }
        try {
            JwtClaims claims = new JwtConsumerBuilder()
                    .setVerificationKey((RSAPublicKey) serviceAccountKey.getPublic())
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                    .setExpectedIssuer(CLIENT_EMAIL).setExpectedAudience(tokenUri().toString())
                    .setRequireIssuedAt().setRequireExpirationTime().setMaxFutureValidityInMinutes(60).build()
                    .processToClaims(form.get("assertion"));
            if (!"https://www.googleapis.com/auth/firebase.messaging".equals(claims.getStringClaimValue("scope"))) {
                throw new IllegalArgumentException("scope " + claims.getStringClaimValue("scope"));
            }
            NumericDate iat = claims.getIssuedAt();
            if (claims.getExpirationTime().getValue() - iat.getValue() > 3600) {
                throw new IllegalArgumentException("assertion lives longer than an hour");
            }
        } catch (Exception e) {
            refuse(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}", e.getMessage());
            return;
        }
        String token = "ya29.stand-in-" + tokenRequests.get();
        issued.add(token);
        respond(exchange, 200, Map.of(), "{\"access_token\":\"" + token + "\",\"expires_in\":" + expiresIn + ",\"token_type\":\"Bearer\"}");
    }

    private void send(HttpExchange exchange) throws IOException {
        String body = read(exchange.getRequestBody());
        if (!exchange.getRequestURI().getPath().equals("/v1/projects/" + PROJECT + "/messages:send")
                || !"POST".equals(exchange.getRequestMethod())) {
            refuse(exchange, 404, error(404, "NOT_FOUND", null), "path " + exchange.getRequestURI());
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ") || !issued.contains(authorization.substring(7))) {
            refuse(exchange, 401, error(401, "UNAUTHENTICATED", null), "bearer " + authorization);
            return;
        }
        JsonNode message = JSON.readTree(body).path("message");
        String registrationToken = message.path("token").asText();
        switch (answers.getOrDefault(registrationToken, Answer.OK)) {
            case UNREGISTERED -> respond(exchange, 404, Map.of(), error(404, "NOT_FOUND", "UNREGISTERED"));
            case QUOTA_EXCEEDED -> respond(exchange, 429, Map.of("Retry-After", "7"), error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED"));
            case INTERNAL -> respond(exchange, 500, Map.of(), error(500, "INTERNAL", "INTERNAL"));
            case INVALID_ARGUMENT -> respond(exchange, 400, Map.of(), error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT"));
            case OK -> {
                messages.add(message);
                respond(exchange, 200, Map.of(), "{\"name\":\"projects/" + PROJECT + "/messages/" + messages.size() + "\"}");
            }
        }
    }

    private static String error(int code, String status, String errorCode) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error").put("code", code).put("message", "stand-in " + status).put("status", status);
        if (errorCode != null) {
            error.putArray("details").addObject().put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError")
                    .put("errorCode", errorCode);
        }
        return root.toString();
    }

    private void refuse(HttpExchange exchange, int status, String body, String why) throws IOException {
        refusals.add(why);
        respond(exchange, status, Map.of(), body);
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static KeyPair rsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
