package dev.beckon.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.beckon.config.BeckonConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.jwt.config.JWTAuthContextInfoProvider;

/**
 * Every environment variable the manifests in deploy/ set is a setting Beckon, Quarkus or
 * SmallRye JWT actually reads: a typo there would be silently ignored in production.
 */
class DeploymentConfigTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyVariableTheManifestsSetIsARealSetting() throws Exception {
        Set<String> known = knownVariables();
        Set<String> set = manifestVariables();
        assertFalse(set.isEmpty());
        for (String variable : set) {
            assertTrue(known.contains(variable), variable + " (set in deploy/) is not a configuration key Beckon reads");
        }
    }

    @Test
    void theSettingsBeckonDocumentsAreKnownHereToo() throws Exception {
        Set<String> known = knownVariables();
        for (String variable : Set.of("QUARKUS_HTTP_PORT", "QUARKUS_REDIS_HOSTS", "QUARKUS_REDIS_CLIENT_TYPE",
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER", "BECKON_TOKEN_ISSUER", "BECKON_TOKEN_KEY_LOCATION",
                "BECKON_WEBHOOK_URL", "BECKON_WEBHOOK_SECRET", "BECKON_RING_TIMEOUT", "BECKON_RATE_LIMIT_INVITES_PER_MINUTE",
                "BECKON_ROLE")) {
            assertTrue(known.contains(variable), variable);
        }
        assertFalse(known.contains("BECKON_RING_TIMEOUTS"), "the check can fail");
    }

    /**
     * Names of env entries of containers, keys of ConfigMaps (they are loaded with envFrom) and the
     * environment of the functions of a SAM template.
     */
    private static Set<String> manifestVariables() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("deploy"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    while (documents.hasNext()) {
                        JsonNode document = documents.next();
                        if ("ConfigMap".equals(document.path("kind").asText())) {
                            document.path("data").fieldNames().forEachRemaining(names::add);
                        }
                        for (JsonNode container : document.at("/spec/template/spec/containers")) {
                            for (JsonNode env : container.path("env")) {
                                names.add(env.path("name").asText());
                            }
                        }
                        // a SAM template (deploy/lambda): each function's environment
                        for (JsonNode resource : document.path("Resources")) {
                            resource.at("/Properties/Environment/Variables").fieldNames().forEachRemaining(names::add);
                        }
                    }
                }
            }
        }
        return names;
    }

    private static Set<String> knownVariables() throws Exception {
        Set<String> known = new TreeSet<>();
        // Quarkus: every extension documents its settings with their environment variable
        Enumeration<URL> models = DeploymentConfigTest.class.getClassLoader()
                .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
        while (models.hasMoreElements()) {
            try (InputStream in = models.nextElement().openStream()) {
                collectEnvironmentVariables(JSON.readTree(in), known);
            }
        }
        // SmallRye JWT's MicroProfile keys
        for (Field field : JWTAuthContextInfoProvider.class.getDeclaredFields()) {
            ConfigProperty property = field.getAnnotation(ConfigProperty.class);
            if (property != null) {
                known.add(environmentVariable(property.name()));
            }
        }
        // Beckon's own
        collect(BeckonConfig.class, BeckonConfig.class.getAnnotation(ConfigMapping.class).prefix(), known);
        return known;
    }

    private static void collectEnvironmentVariables(JsonNode node, Set<String> into) {
        if (node.isObject()) {
            JsonNode variable = node.get("environmentVariable");
            if (variable != null && variable.isTextual()) {
                into.add(variable.asText());
            }
        }
        for (JsonNode child : node) {
            collectEnvironmentVariables(child, into);
        }
    }

    private static void collect(Class<?> mapping, String prefix, Set<String> into) {
        for (Method method : mapping.getDeclaredMethods()) {
            if (method.getParameterCount() > 0 || method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String name = prefix + "." + kebab(method.getName());
            if (method.getReturnType().isInterface() && method.getReturnType().getName().startsWith(BeckonConfig.class.getName() + "$")) {
                collect(method.getReturnType(), name, into);
            } else {
                into.add(environmentVariable(name));
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** MicroProfile Config's rule: every character that is not a letter or digit becomes '_', all upper case. */
    private static String environmentVariable(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
