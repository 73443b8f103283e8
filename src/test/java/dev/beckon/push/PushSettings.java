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
        return PushSetup.senders(of(properties), mode, Clock.systemUTC());
    }
}
