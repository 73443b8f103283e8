package dev.beckon.cloudevents;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.eclipse.microprofile.config.spi.ConfigSource;

import dev.beckon.function.FunctionCatalog;

/**
 * Tells Funqy's CloudEvents binding the types of {@link EventTypes} for every function of
 * {@link FunctionCatalog#NAMES} ({@code quarkus.funqy.knative-events.mapping.<fn>.trigger},
 * {@code .response-type}, {@code .response-source}), so the list of functions stays in one place.
 * Its ordinal is below application.properties and the environment, which can still override it.
 */
public class EventTypeMapping implements ConfigSource {

    private static final String PREFIX = "quarkus.funqy.knative-events.mapping.";
    private static final Map<String, String> PROPERTIES = properties();

    private static Map<String, String> properties() {
        Map<String, String> properties = new TreeMap<>();
        for (String function : FunctionCatalog.NAMES) {
            properties.put(PREFIX + function + ".trigger", EventTypes.trigger(function));
            properties.put(PREFIX + function + ".response-type", EventTypes.output(function));
            properties.put(PREFIX + function + ".response-source", EventTypes.source(function));
        }
        return Map.copyOf(properties);
    }

    @Override
    public Map<String, String> getProperties() {
        return PROPERTIES;
    }

    @Override
    public Set<String> getPropertyNames() {
        return PROPERTIES.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return PROPERTIES.get(propertyName);
    }

    @Override
    public String getName() {
        return "beckon-cloudevent-types";
    }

    @Override
    public int getOrdinal() {
        return 150;
    }
}
