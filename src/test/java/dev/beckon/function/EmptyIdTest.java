package dev.beckon.function;

import static dev.beckon.support.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.beckon.support.BackingServices;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An empty id (what a shell variable that came up empty sends) is a 400 that names the field,
 * not a 404 about an invitation or conference called "".
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class EmptyIdTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/respond         | {\"invitationId\":\"\",\"action\":\"accept\"} | invitationId",
            "/cancel          | {\"invitationId\":\"\"}                     | invitationId",
            "/getConference   | {\"conferenceId\":\"\"}                     | conferenceId",
            "/leave           | {\"conferenceId\":\" \"}                    | conferenceId",
            "/invite          | {\"conferenceId\":\"\",\"invitees\":[{\"userId\":\"bob\"}]} | conferenceId" })
    void anEmptyIdIsAnInvalidRequestNamingTheField(String function, String body, String field) {
        as(Tokens.user("alice")).body(body)
                .when().post(function.trim())
                .then().statusCode(400)
                .body("error", is("invalid_request"))
                .body("message", containsString("'" + field.trim() + "' must not be empty"));
    }
}
