package dev.beckon.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.api.ApiException;
import dev.beckon.api.ErrorCode;
import dev.beckon.api.RequestReader;

/**
 * How a body becomes a function's input, without the server: types are never coerced, unknown
 * fields are refused, and the message names the field by its path as the request spells it.
 */
class RequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestReader READER = new RequestReader(JSON);

    private static <T> T read(String body, Class<T> type) throws Exception {
        return READER.read(JSON.readTree(body), type);
    }

    private static ApiException refused(String body, Class<?> type) {
        return assertThrows(ApiException.class, () -> read(body, type));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"settings\":{\"ringTimeoutSeconds\":30.0}}              | 'settings.ringTimeoutSeconds' must be an integer from 5 to 600.",
            "{\"settings\":{\"ringTimeoutSeconds\":\"30\"}}            | 'settings.ringTimeoutSeconds' must be an integer from 5 to 600.",
            "{\"settings\":{\"ringTimeoutSeconds\":1099511627776}}     | 'settings.ringTimeoutSeconds'",
            "{\"settings\":{\"ringTimeoutSeconds\":601}}               | 'settings.ringTimeoutSeconds' must be an integer from 5 to 600.",
            "{\"settings\":{\"canInviteDuringCall\":1}}                | 'settings.canInviteDuringCall' must be true or false.",
            "{\"protected\":\"true\"}                                  | 'protected' must be true or false.",
            "{\"alias\":true}                                          | 'alias' must be a string.",
            "{\"alias\":7}                                             | 'alias' must be a string.",
            "{\"alias\":[\"x\"]}                                       | 'alias' must be a string.",
            "{\"alias\":\"\"}                                          | 'alias' must not be empty.",
            "{\"alias\":\"a\\u0007\"}                                  | 'alias' must be valid Unicode text",
            "{\"callType\":\"VIDEO_CALL\"}                             | 'callType' must be one of video_call, audio_call, live_streaming.",
            "{\"callType\":0}                                          | 'callType' must be one of video_call, audio_call, live_streaming.",
            "{\"roomUrl\":\"no scheme\"}                               | 'roomUrl' must be an absolute URL.",
            "{\"settings\":{\"ringTimeout\":30}}                       | Unknown field 'settings.ringTimeout'",
            "{\"participants\":[{\"userId\":\"bob\",\"nmae\":\"B\"}]}  | Unknown field 'participants[0].nmae'",
            "{\"participants\":[{\"userId\":\"b b\"}]}                 | 'participants[0].userId' must be a user id",
            "{\"participants\":[{}]}                                   | 'participants[0].userId' is required.",
            "{\"participants\":[null]}                                 | 'participants[0]' must be an object.",
            "{\"participants\":[\"bob\"]}                              | 'participants[0]' must be an object.",
            "{\"participants\":{\"userId\":\"bob\"}}                   | 'participants' must be an array.",
            "{\"participants\":[{\"userId\":\"b\",\"permissions\":[\"FLY\"]}]} | 'participants[0].permissions[0]' must be one of JOIN,",
            "{\"participants\":[{\"userId\":\"b\",\"permissions\":[]}]} | 'participants[0].permissions' must not be empty.",
            "{\"participants\":[{\"userId\":\"b\"},{\"userId\":\"b\"}]} | 'participants[1].userId' repeats b.",
            "{\"settings\":5}                                          | 'settings' must be an object.",
            "{\"as\":\"not a user\"}                                   | 'as' must be a user id",
    })
    void createConferenceNamesTheField(String body, String message) {
        ApiException e = refused(body, Requests.CreateConference.class);
        assertEquals(ErrorCode.INVALID_REQUEST, e.code());
        assertTrue(e.getMessage().startsWith(message.trim()) || e.getMessage().contains(message.trim()), e.getMessage());
    }

    @Test
    void absentAndNullFieldsTakeTheDefaults() throws Exception {
        var request = read("{\"alias\":null,\"protected\":null,\"settings\":null}", Requests.CreateConference.class);
        assertEquals("video_call", request.callTypeName());
        assertEquals(false, request.protectedConference());
        assertEquals(30, request.settings(30).ringTimeoutSeconds());
        assertEquals("ring", request.settings(30).busyPolicy());
        assertEquals(List.of(), request.invitees());
    }

    @Test
    void repeatedPermissionsAndUserIdsCountOnce() throws Exception {
        var invite = read("{\"conferenceId\":\"c\",\"invitees\":[{\"userId\":\"bob\",\"permissions\":[\"JOIN\",\"JOIN\",\"RECORD\"]}]}",
                Requests.Invite.class);
        assertEquals(List.of("JOIN", "RECORD"), invite.inviteeList().get(0).permissions());
        var presence = read("{\"userIds\":[\"bob\",\"amy\",\"bob\"]}", Requests.Presence.class);
        assertEquals(List.of("bob", "amy"), presence.distinctUserIds());
    }

    @Test
    void overCapacityIsTooLargeEvenWhenAnEntryIsAlsoBad() {
        StringBuilder ids = new StringBuilder("{\"userIds\":[\"bad id\"");
        for (int i = 0; i < 200; i++) {
            ids.append(",\"u").append(i).append('"');
        }
        ApiException e = refused(ids + "]}", Requests.Presence.class);
        assertEquals(ErrorCode.TOO_LARGE, e.code());
        assertTrue(e.getMessage().contains("'userIds'"), e.getMessage());
    }

    @Test
    void anythingButAnObjectIsRefusedAsABody() {
        assertTrue(refused("[]", Requests.Cancel.class).getMessage().contains("JSON object"));
        assertTrue(refused("null", Requests.Cancel.class).getMessage().contains("required"));
        assertTrue(refused("{\"invitationId\":\" \"}", Requests.Cancel.class).getMessage()
                .contains("'invitationId' must not be empty."));
        assertTrue(refused("{\"invitationId\":\"i\",\"action\":\"accept\",\"reason\":\"busy\"}", Requests.Respond.class)
                .getMessage().contains("'reason' only applies to action 'decline'."));
    }
}
