package dev.beckon.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * A native executable holds only the class-path resources it is told to include: a Lua script
 * left out builds fine and fails on the first call that loads it. Every script, library pieces
 * included, must match {@code quarkus.native.resources.includes}.
 */
class NativeResourcesTest {

    private static final Path RESOURCES = Path.of("src/main/resources");

    @Test
    void everyScriptIsIncludedInTheNativeImage() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(RESOURCES.resolve("application.properties"))) {
            properties.load(in);
        }
        String includes = properties.getProperty("quarkus.native.resources.includes");
        assertFalse(includes == null || includes.isBlank(), "quarkus.native.resources.includes is set");
        FileSystem fs = FileSystems.getDefault();
        List<PathMatcher> matchers = Arrays.stream(includes.split(","))
                .map(String::trim)
                .map(glob -> fs.getPathMatcher("glob:" + glob))
                .toList();

        List<Path> scripts;
        try (Stream<Path> files = Files.walk(RESOURCES.resolve("scripts"))) {
            scripts = files.filter(p -> p.toString().endsWith(".lua")).map(RESOURCES::relativize).toList();
        }
        assertTrue(scripts.size() > 10, "Lua scripts found under src/main/resources/scripts: " + scripts);
        List<Path> leftOut = scripts.stream()
                .filter(script -> matchers.stream().noneMatch(m -> m.matches(script)))
                .toList();
        assertEquals(List.of(), leftOut, "scripts the native image would leave out");
    }
}
