package dev.beckon.push;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.beckon.config.BeckonConfig;
import dev.beckon.push.apns.ApnsSender;
import dev.beckon.push.crypto.EcKeys;
import dev.beckon.push.fcm.FcmSender;
import dev.beckon.push.fcm.ServiceAccount;
import dev.beckon.push.webpush.VapidKey;
import dev.beckon.push.webpush.WebPushSender;
import io.quarkus.runtime.LaunchMode;
import io.vertx.core.Vertx;

/**
 * Builds one sender per configured platform from {@code beckon.push.*}, or refuses to start with
 * every setting that needs fixing named at once: a platform that is configured must be usable,
 * rather than fail each push later. Web Push needs no setting in dev and test (a VAPID key is
 * generated; dev keeps it under {@code target/} so browser subscriptions survive restarts).
 */
public final class PushSetup {

    private static final Logger LOG = Logger.getLogger(PushSetup.class);
    static final Path DEV_VAPID_KEY = Path.of("target", "dev-keys", "beckon-vapid-key.pem");
    static final String DEV_SUBJECT = "mailto:push@beckon.invalid";

    private PushSetup() {
    }

    /**
     * The senders, each with its own HTTP client on {@code vertx}: at most
     * {@code beckon.push.concurrency} connections per host, since no more pushes are under way.
     */
    public static Map<Platform, PushSender> senders(BeckonConfig.Push config, LaunchMode mode, Clock clock, Vertx vertx) {
        List<String> problems = new ArrayList<>();
        Map<Platform, PushSender> senders = new EnumMap<>(Platform.class);
        Duration timeout = config.timeout();
        int connections = Math.max(1, config.concurrency());
        webPush(config.vapid(), mode, problems).ifPresent(vapid -> senders.put(Platform.webpush,
                new WebPushSender(vapid, PushHttp.open(vertx, timeout, connections, Optional.empty(), false), clock)));
        fcm(config.fcm(), problems).ifPresent(account -> senders.put(Platform.fcm, new FcmSender(account,
                URI.create(config.fcm().url()), PushHttp.open(vertx, timeout, connections, Optional.empty(), false), clock)));
        apns(config.apns(), problems).ifPresent(apns -> senders.put(Platform.apns, apns.sender(vertx, timeout, connections, clock)));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Beckon cannot start:\n  - " + String.join("\n  - ", problems));
        }
        return senders;
    }

    private static Optional<VapidKey> webPush(BeckonConfig.Push.Vapid config, LaunchMode mode, List<String> problems) {
        Optional<String> subject = present(config.subject());
        if (subject.isPresent() && !subject.get().startsWith("mailto:") && !subject.get().startsWith("https:")) {
            problems.add("BECKON_PUSH_VAPID_SUBJECT (beckon.push.vapid.subject) must be a mailto: or https: URL, not '"
                    + subject.get() + "'.");
            return Optional.empty();
        }
        Optional<String> location = present(config.privateKeyLocation());
        if (location.isEmpty()) {
            return switch (mode) {
                case DEVELOPMENT -> Optional.of(new VapidKey(devKey(), subject.orElse(DEV_SUBJECT)));
                case TEST -> Optional.of(new VapidKey((ECPrivateKey) EcKeys.generate().getPrivate(), subject.orElse(DEV_SUBJECT)));
                default -> Optional.empty();
            };
        }
        ECPrivateKey key;
        try {
            key = EcKeys.readPrivateKey(read(location.get()));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            problems.add("BECKON_PUSH_VAPID_PRIVATE_KEY_LOCATION (beckon.push.vapid.private-key-location) = '" + location.get()
                    + "' cannot be used as the VAPID key: " + e.getMessage() + ". Give an EC P-256 private key in PEM, e.g. from"
                    + " 'openssl ecparam -name prime256v1 -genkey -noout -out vapid.pem'.");
            return Optional.empty();
        }
        if (subject.isEmpty()) {
            if (mode == LaunchMode.NORMAL) {
                problems.add("BECKON_PUSH_VAPID_SUBJECT (beckon.push.vapid.subject) is not set: Web Push needs a contact for"
                        + " push services with the VAPID key, a mailto: or https: URL (e.g. mailto:ops@example.com).");
                return Optional.empty();
            }
            return Optional.of(new VapidKey(key, DEV_SUBJECT));
        }
        return Optional.of(new VapidKey(key, subject.get()));
    }

    private static Optional<ServiceAccount> fcm(BeckonConfig.Push.Fcm config, List<String> problems) {
        Optional<String> location = present(config.serviceAccountLocation());
        if (location.isEmpty()) {
            return Optional.empty();
        }
        if (!isHttpUrl(config.url())) {
            problems.add("BECKON_PUSH_FCM_URL (beckon.push.fcm.url) must be an http or https URL, not '" + config.url() + "'.");
        }
        try {
            return Optional.of(ServiceAccount.parse(read(location.get())));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            problems.add("BECKON_PUSH_FCM_SERVICE_ACCOUNT_LOCATION (beckon.push.fcm.service-account-location) = '"
                    + location.get() + "' cannot be used as a Google service account: " + e.getMessage()
                    + ". Download the JSON key of a service account of your Firebase project (Project settings → Service accounts).");
            return Optional.empty();
        }
    }

    /** What APNs needs, read and checked; its sender speaks HTTP/2 only, over TLS, as APNs does. */
    private record Apns(ECPrivateKey key, String keyId, String teamId, String topic, URI url, Optional<String> trust) {
        ApnsSender sender(Vertx vertx, Duration timeout, int connections, Clock clock) {
            return new ApnsSender(key, keyId, teamId, topic, url, PushHttp.open(vertx, timeout, connections, trust, true), clock);
        }
    }

    private static Optional<Apns> apns(BeckonConfig.Push.Apns config, List<String> problems) {
        Optional<String> location = present(config.keyLocation());
        Optional<String> keyId = present(config.keyId());
        Optional<String> teamId = present(config.teamId());
        Optional<String> topic = present(config.topic());
        if (location.isEmpty() && keyId.isEmpty() && teamId.isEmpty() && topic.isEmpty()) {
            return Optional.empty();
        }
        int before = problems.size();
        missing(location, "BECKON_PUSH_APNS_KEY_LOCATION (beckon.push.apns.key-location)", "the .p8 key file", problems);
        missing(keyId, "BECKON_PUSH_APNS_KEY_ID (beckon.push.apns.key-id)", "the key's 10-character id", problems);
        missing(teamId, "BECKON_PUSH_APNS_TEAM_ID (beckon.push.apns.team-id)", "your Apple team id", problems);
        missing(topic, "BECKON_PUSH_APNS_TOPIC (beckon.push.apns.topic)", "the app's bundle id", problems);
        if (!isHttpUrl(config.url())) {
            problems.add("BECKON_PUSH_APNS_URL (beckon.push.apns.url) must be an https URL, not '" + config.url() + "'.");
        }
        ECPrivateKey key = null;
        if (location.isPresent()) {
            try {
                key = EcKeys.readPrivateKey(read(location.get()));
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                problems.add("BECKON_PUSH_APNS_KEY_LOCATION (beckon.push.apns.key-location) = '" + location.get()
                        + "' cannot be used as an APNs auth key: " + e.getMessage() + ". Give the .p8 file Apple issued.");
            }
        }
        Optional<String> trust = Optional.empty();
        Optional<String> trustLocation = present(config.trustCertificateLocation());
        if (trustLocation.isPresent()) {
            try {
                trust = Optional.of(PushHttp.certificates(read(trustLocation.get())));
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                problems.add("BECKON_PUSH_APNS_TRUST_CERTIFICATE_LOCATION (beckon.push.apns.trust-certificate-location) = '"
                        + trustLocation.get() + "' cannot be read as PEM certificates: " + e.getMessage() + ".");
            }
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Apns(key, keyId.get(), teamId.get(), topic.get(), URI.create(config.url()), trust));
    }

    private static void missing(Optional<String> value, String setting, String what, List<String> problems) {
        if (value.isEmpty()) {
            problems.add(setting + " is not set: APNs needs " + what + " with the other beckon.push.apns settings.");
        }
    }

    private static ECPrivateKey devKey() {
        try {
            if (Files.exists(DEV_VAPID_KEY)) {
                return EcKeys.readPrivateKey(Files.readString(DEV_VAPID_KEY));
            }
            ECPrivateKey key = (ECPrivateKey) EcKeys.generate().getPrivate();
            Files.createDirectories(DEV_VAPID_KEY.getParent());
            Files.writeString(DEV_VAPID_KEY, EcKeys.writePrivateKey(key), StandardCharsets.US_ASCII);
            LOG.infof("Generated a development VAPID key in %s", DEV_VAPID_KEY);
            return key;
        } catch (IOException | GeneralSecurityException e) {
            LOG.warnf("Could not keep the development VAPID key in %s (%s); using a new one", DEV_VAPID_KEY, e.getMessage());
            return (ECPrivateKey) EcKeys.generate().getPrivate();
        }
    }

    /** A file path ({@code file:} optional) or a {@code classpath:} resource, as text. */
    static String read(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
            try (var in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("no resource " + resource + " on the classpath");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        Path path = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("no such file", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("not readable", e);
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<String> present(Optional<String> value) {
        return value.filter(v -> !v.isBlank());
    }
}
