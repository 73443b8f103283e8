package dev.beckon.push.webpush;

import java.net.URI;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.beckon.push.crypto.EcKeys;
import dev.beckon.push.crypto.Jws;

/**
 * The server's VAPID identity (RFC 8292): a P-256 key whose public half browsers subscribe with
 * ({@code applicationServerKey}), and the contact ({@code sub}) push services may write to.
 */
public final class VapidKey {

    /** RFC 8292 allows at most 24 hours; half that leaves room for clock skew. */
    static final Duration TOKEN_LIFETIME = Duration.ofHours(12);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ECPrivateKey privateKey;
    private final String publicKey;
    private final String subject;

    public VapidKey(ECPrivateKey privateKey, String subject) {
        this.privateKey = privateKey;
        this.publicKey = Jws.base64Url(EcKeys.uncompressed(EcKeys.publicKeyOf(privateKey)));
        this.subject = subject;
    }

    /** base64url of the uncompressed public key: what {@code pushManager.subscribe} takes. */
    public String applicationServerKey() {
        return publicKey;
    }

    public String subject() {
        return subject;
    }

    /** {@code vapid t=<JWT>, k=<public key>} for a push to {@code endpoint}. */
    public String authorization(URI endpoint, Instant now) {
        ObjectNode claims = JSON.createObjectNode().put("aud", origin(endpoint))
                .put("exp", now.plus(TOKEN_LIFETIME).getEpochSecond()).put("sub", subject);
        String jwt = Jws.es256("{\"typ\":\"JWT\",\"alg\":\"ES256\"}", claims.toString(), privateKey);
        return "vapid t=" + jwt + ", k=" + publicKey;
    }

    /** scheme://host[:port], the port only when it is not the scheme's default. */
    static String origin(URI endpoint) {
        String scheme = endpoint.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = endpoint.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + endpoint.getHost().toLowerCase(java.util.Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
