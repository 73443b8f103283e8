package dev.beckon.config;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Everything Beckon itself reads from configuration ({@code beckon.*}).
 * Quarkus, Redis and SmallRye JWT keep their own keys ({@code quarkus.*}, {@code mp.jwt.*}).
 */
@ConfigMapping(prefix = "beckon")
public interface BeckonConfig {

    /** Which parts run in this process: {@code all}, {@code functions} or {@code gateway}. */
    @WithDefault("all")
    Role role();

    /** Default ring timeout of an invitation when neither the conference nor the request sets one. */
    @WithDefault("30s")
    Duration ringTimeout();

    /** A conference with no activity for this long ends by itself; every state change extends it. */
    @WithDefault("24h")
    Duration conferenceTtl();

    /** How long a conference's records (and call history) stay readable after it expires. */
    @WithDefault("24h")
    Duration retention();

    /** Invitations kept per user in each direction's call history. */
    @WithDefault("500")
    int historyLimit();

    /**
     * Participants a conference holds besides its owner (everyone ever invited counts). Each
     * change of a participant is announced to every other, so a conference's cost grows with the
     * square of this.
     */
    @WithDefault(dev.beckon.model.ConferenceSettings.DEFAULT_MAX_PARTICIPANTS)
    int maxParticipants();

    Token token();

    Events events();

    Webhook webhook();

    RateLimit rateLimit();

    Redis redis();

    Log log();

    Push push();

    enum Role {
        all, functions, gateway;

        public boolean runsFunctions() {
            return this != gateway;
        }

        public boolean runsGateway() {
            return this != functions;
        }
    }

    interface Token {
        /** {@code iss} of the conference access tokens Beckon issues. */
        @WithDefault("beckon")
        String issuer();

        /** Beckon's RS256 private key (PEM). Unset in dev and test: a key is generated at start-up. */
        Optional<String> keyLocation();

        /** Lifetime of a conference access token. */
        @WithDefault("4h")
        Duration ttl();
    }

    interface Events {
        /** How far back a reconnecting client can replay its events with {@code Last-Event-ID}. */
        @WithDefault("15m")
        Duration replayWindow();

        /** How often an idle stream gets a comment line, and presence leases are renewed. */
        @WithDefault("10s")
        Duration heartbeat();

        /**
         * Streams one user may have open on one gateway instance. Opening one more closes their
         * oldest stream, which is told why and when to come back (see displacedReconnectDelay).
         */
        @WithDefault("10")
        int maxStreamsPerUser();

        /**
         * Output one stream may have waiting for a client that does not read (beside what the
         * connection itself buffers); past it the stream is closed and the client resumes.
         */
        @WithDefault("256K")
        MemorySize maxUnsent();

        /** The SSE {@code retry} every stream opens with: how soon a browser reconnects after a drop. */
        @WithDefault("3s")
        Duration reconnectDelay();

        /**
         * The SSE {@code retry} sent to a stream closed because its user opened too many: a browser
         * reconnects by itself only after this, so streams beyond the limit do not take turns
         * closing each other.
         */
        @WithDefault("5m")
        Duration displacedReconnectDelay();
    }

    interface Webhook {
        /** Where events are POSTed; unset: no webhooks. */
        Optional<String> url();

        /** {@code whsec_<base64>} key of the Standard Webhooks signature. */
        Optional<String> secret();

        /** How long one attempt may take before it counts as failed. */
        @WithDefault("5s")
        Duration timeout();

        /** Attempts per event before it goes to the dead-letter list. */
        @WithDefault("8")
        int maxAttempts();

        /** Wait before the first retry; each further retry waits twice as long, up to a minute. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Deliveries one instance has in flight at most. */
        @WithDefault("256")
        int concurrency();

        /**
         * How long one blocking read of the outbox waits for a new event before it is sent again:
         * an idle outbox costs one command per reader (1, or 16 on a cluster) per this time.
         */
        @WithDefault("60s")
        Duration idleWait();
    }

    interface RateLimit {
        /** Invitations one user may send per minute; 0 turns the limit off. */
        @WithDefault("600")
        int invitesPerMinute();
    }

    interface Log {
        /** Production writes the console log as JSON lines; false keeps plain lines. */
        @WithDefault("true")
        boolean json();
    }

    interface Redis {
        /** Upper bound on one Redis call; past it the caller gets 503 {@code unavailable}. */
        @WithDefault("3s")
        Duration timeout();
    }

    /** Ringing devices through their platform's push service; each platform is off until configured. */
    interface Push {
        /** Deadline of one push attempt (the FCM access token exchange included). */
        @WithDefault("10s")
        Duration timeout();

        /**
         * Pushes one gateway instance has under way at most, attempts and scheduled retries
         * together; beyond it the instance reads no more from the push outbox until one ends.
         */
        @WithDefault("256")
        int concurrency();

        /**
         * How long a push outbox entry read by an instance may stay untouched before another
         * instance takes it over (the reading instance touches what it holds every third of it).
         */
        @WithDefault("15s")
        Duration takeoverAfter();

        Vapid vapid();

        Fcm fcm();

        Apns apns();

        interface Vapid {
            /** The server's VAPID key, EC P-256 private key in PEM. Unset in dev/test: generated; in production: Web Push is off. */
            Optional<String> privateKeyLocation();

            /** The VAPID {@code sub}, a {@code mailto:} or {@code https:} URL; required with the key. */
            Optional<String> subject();
        }

        interface Fcm {
            /** A Google service-account JSON file; unset: FCM is off. */
            Optional<String> serviceAccountLocation();

            /** FCM API base URL. */
            @WithDefault("https://fcm.googleapis.com")
            String url();
        }

        interface Apns {
            /** The token-auth {@code .p8} key (EC P-256, PEM); unset: APNs is off. */
            Optional<String> keyLocation();

            /** The key's id (the provider token's {@code kid}). */
            Optional<String> keyId();

            /** The Apple developer team id (the provider token's {@code iss}). */
            Optional<String> teamId();

            /** The app's bundle id: the {@code apns-topic} of alerts; VoIP pushes go to {@code <topic>.voip}. */
            Optional<String> topic();

            /** APNs base URL; the sandbox is {@code https://api.sandbox.push.apple.com}. */
            @WithDefault("https://api.push.apple.com")
            String url();

            /** PEM certificates to trust for APNs instead of the JVM's trust store (a private CA or a local stand-in). */
            Optional<String> trustCertificateLocation();
        }
    }
}
