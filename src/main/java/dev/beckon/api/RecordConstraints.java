package dev.beckon.api;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.beckon.api.constraints.AbsoluteUrl;
import dev.beckon.api.constraints.Text;

/**
 * Checks a request record against the Bean Validation annotations on its components, the same
 * annotations that describe the fields in /q/openapi: {@code @NotNull}, {@code @NotBlank},
 * {@code @Size}, {@code @Pattern}, {@code @Min}, {@code @Max}, Beckon's {@code @Text} and
 * {@code @AbsoluteUrl}, and {@code @Valid} to descend into a nested record or into the elements
 * of a list (whose own annotations, {@code List<@NotNull @Valid X>}, apply to each element).
 * These are all the request records use; an annotation of another constraint type on a request
 * record fails the first check of that record, so a new one cannot be silently ignored.
 *
 * <p>A full Bean Validation provider would do the same work, but building its metadata was the
 * largest single step of Beckon's start-up; a record's rules here are read once, on its first use.
 */
final class RecordConstraints {

    /** One broken rule: where (field names and list indexes), which annotation, and the value there. */
    record Violation(List<Object> steps, Annotation annotation, Object value) {

        /** Where, as the request spells it: {@code participants[0].userId}. */
        String path() {
            StringBuilder out = new StringBuilder();
            for (Object step : steps) {
                if (step instanceof Integer index) {
                    out.append('[').append(index).append(']');
                } else {
                    out.append(out.isEmpty() ? "" : ".").append(step);
                }
            }
            return out.toString();
        }
    }

    private static final Map<Class<?>, List<Component>> RULES = new ConcurrentHashMap<>();

    private RecordConstraints() {
    }

    /** Every rule {@code request} breaks, nested records and list elements included. */
    static List<Violation> check(Object request) {
        List<Violation> out = new ArrayList<>();
        checkRecord(request, List.of(), out);
        return out;
    }

    private static void checkRecord(Object record, List<Object> steps, List<Violation> out) {
        for (Component component : RULES.computeIfAbsent(record.getClass(), RecordConstraints::rulesOf)) {
            Object value = component.read(record);
            List<Object> here = append(steps, component.name);
            checkValue(value, component.own, here, out);
            if (value instanceof List<?> list && component.element != null) {
                for (int i = 0; i < list.size(); i++) {
                    checkValue(list.get(i), component.element, append(here, i), out);
                }
            }
        }
    }

    private static void checkValue(Object value, Rules rules, List<Object> steps, List<Violation> out) {
        for (Rule rule : rules.rules) {
            if (!rule.test.test(value)) {
                out.add(new Violation(steps, rule.annotation, value));
            }
        }
        if (rules.valid && value != null && value.getClass().isRecord()) {
            checkRecord(value, steps, out);
        }
    }

    private static List<Object> append(List<Object> steps, Object step) {
        List<Object> out = new ArrayList<>(steps.size() + 1);
        out.addAll(steps);
        out.add(step);
        return out;
    }

    // the rules of a record type, read once --------------------------------------------------------

    private record Rule(Annotation annotation, Predicate<Object> test) {
    }

    private record Rules(List<Rule> rules, boolean valid) {
    }

    /** A record component: its JSON name, its accessor, its rules and (a list's) its elements' rules. */
    private record Component(String name, Method accessor, Rules own, Rules element) {
        Object read(Object record) {
            try {
                return accessor.invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("Cannot read " + name + " of " + record.getClass().getName(), e);
            }
        }
    }

    private static List<Component> rulesOf(Class<?> type) {
        List<Component> components = new ArrayList<>();
        // the record's fields and accessors (what reflection registration keeps in a native
        // executable), not its RecordComponents
        for (Field field : type.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            Method accessor;
            try {
                accessor = type.getDeclaredMethod(field.getName());
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(type.getName() + " is not a record", e);
            }
            accessor.setAccessible(true);
            Rules own = rules(field.getAnnotations(), field.getName());
            Rules element = null;
            if (field.getAnnotatedType() instanceof AnnotatedParameterizedType list
                    && Collection.class.isAssignableFrom(field.getType())) {
                AnnotatedType elementType = list.getAnnotatedActualTypeArguments()[0];
                element = rules(elementType.getAnnotations(), field.getName() + "[]");
            }
            components.add(new Component(jsonName(field.getName()), accessor, own, element));
        }
        return List.copyOf(components);
    }

    private static Rules rules(Annotation[] annotations, String where) {
        List<Rule> rules = new ArrayList<>();
        boolean valid = false;
        for (Annotation annotation : annotations) {
            if (annotation instanceof Valid) {
                valid = true;
                continue;
            }
            Predicate<Object> test = test(annotation);
            if (test != null) {
                rules.add(new Rule(annotation, test));
            } else if (annotation.annotationType().getPackageName().startsWith("jakarta.validation")
                    || annotation.annotationType().isAnnotationPresent(jakarta.validation.Constraint.class)) {
                throw new IllegalStateException("RecordConstraints does not check @" + annotation.annotationType().getSimpleName()
                        + " (on " + where + "); add it there");
            }
        }
        return new Rules(List.copyOf(rules), valid);
    }

    /** The check of one annotation; {@code null} for an annotation that is no constraint (Jackson's, OpenAPI's). */
    private static Predicate<Object> test(Annotation annotation) {
        if (annotation instanceof NotNull) {
            return value -> value != null;
        }
        if (annotation instanceof NotBlank) {
            return value -> value instanceof CharSequence text && !text.toString().isBlank();
        }
        if (annotation instanceof Size size) {
            return value -> {
                int length = value instanceof CharSequence text ? text.length()
                        : value instanceof Collection<?> c ? c.size() : -1;
                return value == null || length >= size.min() && length <= size.max();
            };
        }
        if (annotation instanceof jakarta.validation.constraints.Pattern pattern) {
            Pattern regex = Pattern.compile(pattern.regexp());
            return value -> value == null || regex.matcher((CharSequence) value).matches();
        }
        if (annotation instanceof Min min) {
            return value -> value == null || ((Number) value).longValue() >= min.value();
        }
        if (annotation instanceof Max max) {
            return value -> value == null || ((Number) value).longValue() <= max.value();
        }
        if (annotation instanceof Text) {
            return value -> value == null || Text.Check.isWellFormed((String) value);
        }
        if (annotation instanceof AbsoluteUrl) {
            return value -> value == null || AbsoluteUrl.Check.isAbsolute((String) value);
        }
        return null;
    }

    /** The message an annotation gives for a value that breaks it, when no better one is known. */
    static String message(Annotation annotation) {
        if (annotation instanceof NotNull) {
            return "must not be null";
        }
        if (annotation instanceof NotBlank) {
            return "must not be blank";
        }
        if (annotation instanceof Size size) {
            return "size must be between " + size.min() + " and " + size.max();
        }
        if (annotation instanceof jakarta.validation.constraints.Pattern pattern) {
            return pattern.message().startsWith("{") ? "must match \"" + pattern.regexp() + "\"" : pattern.message();
        }
        if (annotation instanceof Min min) {
            return "must be greater than or equal to " + min.value();
        }
        if (annotation instanceof Max max) {
            return "must be less than or equal to " + max.value();
        }
        if (annotation instanceof Text text) {
            return text.message();
        }
        if (annotation instanceof AbsoluteUrl url) {
            return url.message();
        }
        return "is not valid";
    }

    /** Java cannot name a field {@code protected}; the records call it {@code isProtected}. */
    static String jsonName(String javaName) {
        return javaName.equals("isProtected") ? "protected" : javaName;
    }

    static boolean hasPayload(Size size, Class<?> payload) {
        return Arrays.asList(size.payload()).contains(payload);
    }
}
