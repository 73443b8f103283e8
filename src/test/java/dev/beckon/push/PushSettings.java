package dev.beckon.push;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.beckon.config.BeckonConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;

/** Beckon's real configuration mapping over the given properties, as the application would read them. */
final class PushSettings {

    private PushSettings() {
    }

    static BeckonConfig.Push of(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(BeckonConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        return config.getConfigMapping(BeckonConfig.class).push();
    }

    static Map<Platform, PushSender> senders(Map<String, String> properties, LaunchMode mode) {
        return PushSetup.senders(of(properties), mode, Clock.systemUTC(), VERTX);
    }

    /** The senders' event loops, as the application's Vert.x gives them. */
    static final Vertx VERTX = Vertx.vertx();

    /** An HTTP client for senders built by hand (HTTP/1.1 or HTTP/2 by ALPN, as Web Push and FCM use). */
    static PushHttp http(Duration timeout) {
        return PushHttp.open(VERTX, timeout, 16, java.util.Optional.empty(), false);
    }
}
