package dev.beckon.api.constraints;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.URISyntaxException;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** A URL with a scheme (a room link or an avatar), which a client can open as it is. */
@Documented
@Constraint(validatedBy = AbsoluteUrl.Check.class)
@Target({ ElementType.FIELD, ElementType.TYPE_USE, ElementType.PARAMETER, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface AbsoluteUrl {

    String message() default "must be an absolute URL.";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<AbsoluteUrl, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || isAbsolute(value);
        }

        /** Whether the text parses as a URI with a scheme. */
        public static boolean isAbsolute(String value) {
            try {
                return new URI(value).getScheme() != null;
            } catch (URISyntaxException e) {
                return false;
            }
        }
    }
}
