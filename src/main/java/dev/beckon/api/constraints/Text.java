package dev.beckon.api.constraints;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Text Beckon stores and hands to other users: well-formed Unicode without control characters
 * (tab and newlines allowed). A lone surrogate cannot be stored as UTF-8, and control characters
 * only ever come from a client's bug or an attack on someone's screen.
 */
@Documented
@Constraint(validatedBy = Text.Check.class)
@Target({ ElementType.FIELD, ElementType.TYPE_USE, ElementType.PARAMETER, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface Text {

    String message() default "must be valid Unicode text without control characters.";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<Text, String> {

        @Override
        public boolean isValid(String text, ConstraintValidatorContext context) {
            return text == null || isWellFormed(text);
        }

        /** Rejects lone surrogates and control characters other than tab and newlines. */
        public static boolean isWellFormed(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                        return false;
                    }
                    i++;
                } else if (Character.isLowSurrogate(c)) {
                    return false;
                } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                    return false;
                }
            }
            return true;
        }
    }
}
