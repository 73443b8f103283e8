package dev.beckon.cloudevents;

import java.util.Map;
import java.util.TreeMap;

import dev.beckon.function.FunctionCatalog;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Tells Funqy's CloudEvents binding the types of {@link EventTypes} for every function of
 * {@link FunctionCatalog#NAMES} ({@code quarkus.funqy.knative-events.mapping.<fn>.trigger},
 * {@code .response-type}, {@code .response-source}), so the list of functions stays in one place.
 * Its ordinal is below application.properties and the environment, which can still override it.
 */
public class EventTypeMapping extends MapBackedConfigSource {

    private static final String PREFIX = "quarkus.funqy.knative-events.mapping.";

    public EventTypeMapping() {
        super("beckon-cloudevent-types", properties(), 150);
    }

    private static Map<String, String> properties() {
        Map<String, String> properties = new TreeMap<>();
        for (String function : FunctionCatalog.NAMES) {
            properties.put(PREFIX + function + ".trigger", EventTypes.trigger(function));
            properties.put(PREFIX + function + ".response-type", EventTypes.output(function));
            properties.put(PREFIX + function + ".response-source", EventTypes.source(function));
        }
        return properties;
    }
}
