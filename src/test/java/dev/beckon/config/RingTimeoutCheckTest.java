package dev.beckon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * beckon.ring-timeout is checked at start-up: no ring may outlast 600 s, the longest the state
 * keeping looks back for open invitations.
 */
class RingTimeoutCheckTest {

    @Test
    void aRingTimeoutWithinFiveSecondsToTenMinutesPasses() {
        for (String ok : List.of("5s", "30s", "2m", "600s", "10m", "PT45S")) {
            assertEquals(List.of(), StartupChecks.problems(config(ok), false), ok);
        }
    }

    @Test
    void aRingTimeoutOutsideTheRangeIsNamedWithTheRange() {
        for (String bad : List.of("15m", "601s", "4s", "500ms", "0s")) {
            List<String> problems = StartupChecks.problems(config(bad), false);
            assertEquals(1, problems.size(), bad + ": " + problems);
            String problem = problems.get(0);
            assertTrue(problem.contains("BECKON_RING_TIMEOUT (beckon.ring-timeout)"), problem);
            assertTrue(problem.contains("from 5s to 600s"), problem);
            assertTrue(problem.contains("'" + bad + "'"), problem);
        }
    }

    @Test
    void anUnreadableRingTimeoutIsNamedToo() {
        List<String> problems = StartupChecks.problems(config("soon"), false);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("BECKON_RING_TIMEOUT (beckon.ring-timeout)"), problems.get(0));
    }

    private static Config config(String ringTimeout) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("beckon.ring-timeout", ringTimeout), "test", 500))
                .build();
    }
}
