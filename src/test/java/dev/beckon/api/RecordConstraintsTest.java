package dev.beckon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.junit.jupiter.api.Test;

import dev.beckon.api.RecordConstraints.Violation;
import dev.beckon.api.constraints.AbsoluteUrl;
import dev.beckon.api.constraints.Text;

/** The rules the request records' annotations state, checked without a Bean Validation provider. */
class RecordConstraintsTest {

    record Leaf(@NotNull @Pattern(regexp = "[a-z]+") String id, @Min(5) @Max(10) Integer n) {
    }

    record Root(@NotBlank String name, @Size(min = 1, max = 3) List<@NotNull @Valid Leaf> leaves, @Valid Leaf one,
            @Text @AbsoluteUrl String url) {
    }

    record Unchecked(@Email String mail) {
    }

    private static List<String> broken(Object request) {
        return RecordConstraints.check(request).stream()
                .map(v -> v.path() + " @" + v.annotation().annotationType().getSimpleName()).sorted().toList();
    }

    @Test
    void aValidRequestBreaksNothing() {
        assertEquals(List.of(), broken(new Root("x", List.of(new Leaf("ab", 7)), null, "https://example.com/r")));
    }

    @Test
    void everyBrokenRuleIsNamedByItsPathAsTheRequestSpellsIt() {
        Root root = new Root(" ", Arrays.asList(new Leaf("ok", 4), null, new Leaf("A1", 11), new Leaf(null, null)),
                new Leaf("ok", 5), "no scheme\u0007");
        assertEquals(List.of(
                "leaves @Size",
                "leaves[0].n @Min",
                "leaves[1] @NotNull",
                "leaves[2].id @Pattern",
                "leaves[2].n @Max",
                "leaves[3].id @NotNull",
                "name @NotBlank",
                "url @AbsoluteUrl",
                "url @Text"), broken(root));
    }

    @Test
    void theStepsLeadToTheFieldThroughListIndexes() {
        Violation v = RecordConstraints.check(new Root("x", List.of(new Leaf("ok", 5), new Leaf("ok", 50)), null, null)).get(0);
        assertEquals("leaves[1].n", v.path());
        assertEquals(List.of("leaves", 1, "n"), v.steps());
        assertEquals(50, v.value());
    }

    @Test
    void aConstraintItDoesNotCheckIsRefusedLoudlyRatherThanIgnored() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RecordConstraints.check(new Unchecked("a")));
        assertTrue(e.getMessage().contains("@Email"), e.getMessage());
    }
}
