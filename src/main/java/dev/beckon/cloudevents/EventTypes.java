package dev.beckon.cloudevents;

import java.util.Optional;

import dev.beckon.function.FunctionCatalog;

/**
 * The CloudEvent types of the functions: {@code dev.beckon.<function>} runs a function, its answer
 * is {@code dev.beckon.<function>.output}, a failure is {@code dev.beckon.error}.
 */
public final class EventTypes {

    public static final String PREFIX = "dev.beckon.";
    public static final String ERROR = PREFIX + "error";

    private EventTypes() {
    }

    /** The type that runs {@code function}. */
    public static String trigger(String function) {
        return PREFIX + function;
    }

    /** The type of {@code function}'s answer. */
    public static String output(String function) {
        return PREFIX + function + ".output";
    }

    /** The {@code source} of the events Beckon answers for {@code function} with. */
    public static String source(String function) {
        return "/functions/" + function;
    }

    /** The function an event of {@code type} runs, if there is one. */
    public static Optional<String> function(String type) {
        if (type == null || !type.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String name = type.substring(PREFIX.length());
        return FunctionCatalog.NAMES.contains(name) ? Optional.of(name) : Optional.empty();
    }
}
