package dev.beckon.api;

import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;

import dev.beckon.api.RecordConstraints.Violation;
import dev.beckon.api.constraints.TooLarge;

/**
 * Turns a function's body into its input record, or into the contract's 400 that names the
 * field. Funqy binds the body as a JSON tree (its own binding failures would be a bare 400);
 * this maps the tree with a strict mapper (no type coercion, no unknown fields) and then checks
 * the record's Bean Validation annotations. The one place where Jackson's and the validator's
 * failures become messages such as {@code 'settings.ringTimeoutSeconds' must be an integer from 5 to 600.}
 */
@Singleton
public class RequestReader {

    /** A request whose rules span several fields, checked after its fields are valid. */
    public interface CrossChecked {
        /** Throws {@link ApiException} for a combination of fields that is not allowed. */
        void check();
    }

    private final ObjectMapper strict;

    public RequestReader(ObjectMapper mapper) {
        this.strict = strict(mapper);
    }

    /** A copy of Beckon's mapper that reads a JSON value only as what the record says it is. */
    static ObjectMapper strict(ObjectMapper mapper) {
        ObjectMapper strict = mapper.copy();
        strict.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        strict.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS, DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT,
                DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);
        strict.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyArray, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyObject, CoercionAction.Fail);
        // a string, number or boolean is read only as itself: "30" is no integer, 1 no boolean, 7 no string
        Map<LogicalType, Set<CoercionInputShape>> own = Map.of(
                LogicalType.Textual, Set.of(CoercionInputShape.String),
                LogicalType.Enum, Set.of(CoercionInputShape.String),
                LogicalType.Integer, Set.of(CoercionInputShape.Integer),
                LogicalType.Float, Set.of(CoercionInputShape.Integer, CoercionInputShape.Float),
                LogicalType.Boolean, Set.of(CoercionInputShape.Boolean));
        own.forEach((type, shapes) -> {
            for (CoercionInputShape shape : List.of(CoercionInputShape.String, CoercionInputShape.Integer,
                    CoercionInputShape.Float, CoercionInputShape.Boolean)) {
                if (!shapes.contains(shape)) {
                    strict.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
                }
            }
        });
        return strict;
    }

    /** The body as a {@code type}, validated; an {@link ApiException} naming the field otherwise. */
    public <T> T read(JsonNode body, Class<T> type) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw ApiException.invalid("The request body is required: send a JSON object.");
        }
        if (!body.isObject()) {
            throw ApiException.invalid("The request body must be a JSON object.");
        }
        T request;
        try {
            request = strict.treeToValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            String allowed = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            throw ApiException.invalid("Unknown field '" + path(e) + "'; allowed here: " + allowed + ".");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw mismatch(e, type);
        }
        List<Violation> violations = RecordConstraints.check(request);
        if (!violations.isEmpty()) {
            throw toApiException(violations.stream().min(FIRST).orElseThrow(), type);
        }
        if (request instanceof CrossChecked checked) {
            checked.check();
        }
        return request;
    }

    /** Capacity first (it was checked before the elements), then by field, a field's absence first. */
    private static final Comparator<Violation> FIRST = Comparator
            .comparing((Violation v) -> !isOverCapacity(v))
            .thenComparing(Violation::path)
            .thenComparing(v -> v.value() != null);

    private static ApiException mismatch(Exception e, Class<?> root) {
        if (e instanceof DatabindException databind && !((JsonMappingException) databind).getPath().isEmpty()) {
            List<JsonMappingException.Reference> references = ((JsonMappingException) databind).getPath();
            String field = path(references);
            List<Object> steps = new ArrayList<>();
            for (JsonMappingException.Reference reference : references) {
                steps.add(reference.getFieldName() != null ? reference.getFieldName() : (Object) reference.getIndex());
            }
            AnnotatedType target = resolve(root, steps);
            return ApiException.invalid("'" + field + "' " + (target == null ? "is not valid." : expectation(target)));
        }
        return ApiException.invalid("The request body does not match its schema: send one JSON object as documented at /q/openapi.");
    }

    private static ApiException toApiException(Violation violation, Class<?> root) {
        String field = violation.path();
        var annotation = violation.annotation();
        Object value = violation.value();
        boolean element = field.endsWith("]");
        if (isOverCapacity(violation)) {
            return ApiException.tooLarge("At most " + ((Size) annotation).max() + " entries in '" + field + "' per request.");
        }
        String problem;
        if (value == null && !element) {
            problem = "is required.";
        } else if (annotation instanceof NotBlank) {
            problem = "must not be empty.";
        } else if (annotation instanceof Size size) {
            int length = value instanceof CharSequence text ? text.length() : value instanceof Collection<?> c ? c.size() : 0;
            if (length < size.min()) {
                problem = length == 0 ? "must not be empty." : "must have at least " + size.min() + " entries.";
            } else {
                problem = value instanceof CharSequence ? "must be at most " + size.max() + " characters."
                        : "lists too many entries (at most " + size.max() + ").";
            }
        } else if (annotation instanceof Min || annotation instanceof Max || annotation instanceof Pattern
                || annotation instanceof NotNull) {
            AnnotatedType target = resolve(root, violation.steps());
            problem = target == null ? RecordConstraints.message(annotation) : expectation(target);
        } else {
            problem = RecordConstraints.message(annotation);
        }
        return ApiException.invalid("'" + field + "' " + problem);
    }

    private static boolean isOverCapacity(Violation violation) {
        return violation.annotation() instanceof Size size && RecordConstraints.hasPayload(size, TooLarge.class)
                && violation.value() instanceof Collection<?> c && c.size() > size.max();
    }

    /** What a field must be, from its type and its constraints: the message for a value of the wrong type. */
    static String expectation(AnnotatedType target) {
        Pattern pattern = target.getAnnotation(Pattern.class);
        if (pattern != null) {
            return pattern.message();
        }
        Class<?> type = raw(target);
        if (type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", ")) + ".";
        }
        if (type == Integer.class || type == int.class || type == Long.class) {
            Min min = target.getAnnotation(Min.class);
            Max max = target.getAnnotation(Max.class);
            return min != null && max != null ? "must be an integer from " + min.value() + " to " + max.value() + "."
                    : "must be an integer.";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false.";
        }
        if (type == String.class) {
            return "must be a string.";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "must be a number.";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "must be an array.";
        }
        return "must be an object.";
    }

    /** The declared type, with its annotations, of the field at {@code steps} from {@code root}. */
    private static AnnotatedType resolve(Class<?> root, List<Object> steps) {
        AnnotatedType current = null;
        Class<?> type = root;
        for (Object step : steps) {
            if (step instanceof Integer) {
                if (!(current instanceof AnnotatedParameterizedType list)) {
                    return null;
                }
                current = list.getAnnotatedActualTypeArguments()[0];
            } else {
                Field field = field(type, (String) step);
                if (field == null) {
                    return null;
                }
                current = field.getAnnotatedType();
            }
            type = raw(current);
        }
        return current;
    }

    /** A record's field by its JSON name ({@code @JsonProperty} renames included). */
    private static Field field(Class<?> type, String name) {
        for (Field field : type.getDeclaredFields()) {
            var renamed = field.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            if (field.getName().equals(name) || renamed != null && renamed.value().equals(name)) {
                return field;
            }
        }
        return null;
    }

    private static Class<?> raw(AnnotatedType type) {
        var t = type.getType();
        if (t instanceof java.lang.reflect.ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return t instanceof Class<?> c ? c : Object.class;
    }

    private static String path(JsonMappingException e) {
        return path(e.getPath());
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
