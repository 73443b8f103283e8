package dev.beckon.push.apns;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import dev.beckon.push.crypto.EcKeys;

/** Apple's rules for provider tokens: not refreshed more often than every 20 minutes, never older than an hour. */
class ApnsProviderTokenTest {

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-11-30T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovingClock clock = new MovingClock();
    private final ApnsProviderToken tokens = new ApnsProviderToken((ECPrivateKey) EcKeys.generate().getPrivate(), "KEY", "TEAM", clock);

    @Test
    void oneTokenServesFiftyMinutesThenANewOneIsIssued() {
        String first = tokens.current();
        clock.advance(Duration.ofMinutes(49));
        assertThat(tokens.current(), is(first));
        clock.advance(Duration.ofMinutes(1));
        assertThat(tokens.current(), is(not(first)));
    }

    @Test
    void anExpiredTokenIsReplacedOnlyWhenTwentyMinutesHavePassed() {
        String first = tokens.current();
        clock.advance(Duration.ofMinutes(19));
        tokens.expired(first);
        assertThat(tokens.current(), is(first));
        clock.advance(Duration.ofMinutes(1));
        tokens.expired(first);
        String second = tokens.current();
        assertThat(second, is(not(first)));
        tokens.expired(first);
        assertThat(tokens.current(), is(second));
    }
}
