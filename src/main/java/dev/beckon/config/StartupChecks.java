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
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start an instance that could only fail later, request by request, and names every
 * setting that needs fixing at once. Dev and test provide their own Redis and keys, so only
 * production must name them.
 */
@ApplicationScoped
public class StartupChecks {

    private static final Logger LOG = Logger.getLogger(StartupChecks.class);

    void check(@Observes @Priority(1) StartupEvent event) {
        List<String> problems = problems(ConfigProvider.getConfig(), LaunchMode.current() == LaunchMode.NORMAL);
        if (!problems.isEmpty()) {
            // one log line per setting, each the whole message (no stack trace to dig through);
            // Quarkus prints a ConfigurationException's message alone, without a trace
            for (String problem : problems) {
                LOG.error("Beckon cannot start: " + problem);
            }
            throw new ConfigurationException("Beckon cannot start: " + problems.size()
                    + (problems.size() == 1 ? " setting needs" : " settings need") + " fixing (logged above).");
        }
    }

    static List<String> problems(Config config, boolean production) {
        List<String> problems = new ArrayList<>();
        value(config, "beckon.webhook.url").ifPresent(url -> {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                problems.add("BECKON_WEBHOOK_URL (beckon.webhook.url) must be an http or https URL, not '" + url + "'.");
            }
            try {
                WebhookSecret.decode(value(config, "beckon.webhook.secret").orElse(null));
            } catch (IllegalArgumentException e) {
                problems.add("BECKON_WEBHOOK_SECRET (beckon.webhook.secret) must be 'whsec_' followed by a base64 key of"
                        + " 16 bytes or more (" + e.getMessage() + "), for example whsec_" + "$(openssl rand -base64 32).");
            }
        });
        value(config, "beckon.ring-timeout").ifPresent(text -> {
            // the scripts take an invitation older than the longest ring as closed
            java.time.Duration ring = null;
            try {
                ring = io.quarkus.runtime.configuration.DurationConverter.parseDuration(text.trim());
            } catch (RuntimeException e) {
                // reported below
            }
            int min = dev.beckon.model.ConferenceSettings.MIN_RING_SECONDS, max = dev.beckon.model.ConferenceSettings.MAX_RING_SECONDS;
            if (ring == null || ring.compareTo(java.time.Duration.ofSeconds(min)) < 0 || ring.compareTo(java.time.Duration.ofSeconds(max)) > 0) {
                problems.add("BECKON_RING_TIMEOUT (beckon.ring-timeout) must be a duration from " + min + "s to " + max
                        + "s (e.g. 30s or 2m), not '" + text + "'.");
            }
        });
        if (!production) {
            return problems;
        }
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
