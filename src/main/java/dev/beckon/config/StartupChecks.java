package dev.beckon.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start a production instance that could only fail later, request by request, and
 * names every setting that needs fixing at once. Dev and test provide their own defaults.
 */
@ApplicationScoped
public class StartupChecks {

    void check(@Observes @Priority(1) StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        List<String> problems = problems(ConfigProvider.getConfig());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Beckon cannot start:\n  - " + String.join("\n  - ", problems));
        }
    }

    static List<String> problems(Config config) {
        List<String> problems = new ArrayList<>();
        if (value(config, "quarkus.redis.hosts").isEmpty() && value(config, "quarkus.redis.hosts-provider-name").isEmpty()) {
            problems.add("QUARKUS_REDIS_HOSTS (quarkus.redis.hosts) is not set: give the Redis URL, e.g. redis://redis:6379"
                    + " (for Redis Cluster also QUARKUS_REDIS_CLIENT_TYPE=cluster).");
        }
        Optional<String> publicKey = value(config, "mp.jwt.verify.publickey.location");
        if (publicKey.isEmpty() && value(config, "mp.jwt.verify.publickey").isEmpty()) {
            problems.add("MP_JWT_VERIFY_PUBLICKEY_LOCATION (mp.jwt.verify.publickey.location) is not set: give the PEM or JWKS"
                    + " (file or URL) of the key your backend signs user and server tokens with.");
        } else if (publicKey.isPresent() && isLocalFile(publicKey.get()) && !Files.isReadable(localPath(publicKey.get()))) {
            problems.add("MP_JWT_VERIFY_PUBLICKEY_LOCATION points at " + publicKey.get() + ", which cannot be read.");
        }
        if (value(config, "beckon.token.key-location").isEmpty()) {
            problems.add("BECKON_TOKEN_KEY_LOCATION (beckon.token.key-location) is not set: Beckon needs an RSA private key in PEM"
                    + " to sign conference access tokens, the same on every instance"
                    + " ('openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out beckon-token-key.pem').");
        }
        return problems;
    }

    private static Optional<String> value(Config config, String name) {
        return config.getOptionalValue(name, String.class).filter(v -> !v.isBlank());
    }

    private static boolean isLocalFile(String location) {
        return !location.startsWith("http:") && !location.startsWith("https:") && !location.startsWith("classpath:");
    }

    private static Path localPath(String location) {
        return Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
    }
}
