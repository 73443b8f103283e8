package dev.beckon.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.beckon.cloudevents.EventTypes;
import dev.beckon.function.FunctionCatalog;

/**
 * deploy/knative/eventing wires a Broker to the functions: one Trigger per function, filtered on
 * exactly its type, delivering to the Knative Service that runs the functions role.
 */
class KnativeEventingManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path EVENTING = Path.of("deploy/knative/eventing");

    @Test
    void everyFunctionHasOneTriggerOnItsTypeThatDeliversToTheFunctionsService() throws IOException {
        String broker = single(documents(EVENTING), "Broker").at("/metadata/name").asText();
        String functionsService = functionsService();
        List<JsonNode> triggers = ofKind(documents(EVENTING), "Trigger");

        Set<String> types = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        for (JsonNode trigger : triggers) {
            String name = trigger.at("/metadata/name").asText();
            assertTrue(names.add(name), "Trigger names are unique: " + name);
            assertEquals(broker, trigger.at("/spec/broker").asText(), name + " listens on Beckon's Broker");
            JsonNode filter = trigger.at("/spec/filter/attributes");
            assertEquals(Set.of("type"), fieldNames(filter), name + " filters on the type alone");
            assertTrue(types.add(filter.get("type").asText()), name + ": one Trigger per type");
            JsonNode ref = trigger.at("/spec/subscriber/ref");
            assertEquals("serving.knative.dev/v1", ref.path("apiVersion").asText(), name);
            assertEquals("Service", ref.path("kind").asText(), name);
            assertEquals(functionsService, ref.path("name").asText(), name + " delivers to the functions");
            assertEquals("/", trigger.at("/spec/subscriber/uri").asText("/"), name + " delivers to POST /");
        }
        Set<String> expected = FunctionCatalog.NAMES.stream().map(EventTypes::trigger).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, types);
        assertFalse(types.contains(EventTypes.ERROR));
    }

    @Test
    void theKustomizationAppliesTheServicesAndEveryManifestBesideIt() throws IOException {
        JsonNode kustomization = YAML.readTree(EVENTING.resolve("kustomization.yaml").toFile());
        Set<String> resources = new TreeSet<>();
        kustomization.path("resources").forEach(r -> resources.add(r.asText()));
        Set<String> expected = new TreeSet<>(Set.of(".."));
        try (Stream<Path> files = Files.list(EVENTING)) {
            files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                    .forEach(expected::add);
        }
        assertEquals(expected, resources);
        assertTrue(Files.exists(EVENTING.resolve("../kustomization.yaml")));
    }

    /** The Knative Service of deploy/knative that runs BECKON_ROLE=functions. */
    private static String functionsService() throws IOException {
        List<String> names = new ArrayList<>();
        for (JsonNode service : ofKind(documents(Path.of("deploy/knative")), "Service")) {
            if (!"serving.knative.dev/v1".equals(service.path("apiVersion").asText())) {
                continue;
            }
            for (JsonNode env : service.at("/spec/template/spec/containers/0/env")) {
                if ("BECKON_ROLE".equals(env.path("name").asText()) && "functions".equals(env.path("value").asText())) {
                    names.add(service.at("/metadata/name").asText());
                }
            }
        }
        assertEquals(1, names.size(), "one Knative Service runs the functions: " + names);
        return names.get(0);
    }

    private static List<JsonNode> documents(Path folder) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> each = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    while (each.hasNext()) {
                        JsonNode document = each.next();
                        if (document != null && document.isObject()) {
                            documents.add(document);
                        }
                    }
                }
            }
        }
        return documents;
    }

    private static List<JsonNode> ofKind(List<JsonNode> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    private static JsonNode single(List<JsonNode> documents, String kind) {
        List<JsonNode> found = ofKind(documents, kind);
        assertEquals(1, found.size(), "one " + kind);
        return found.get(0);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
