package dev.beckon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A script step announces all of one user's events in one message, one line each, in order; each
 * line holds the event's fields and data, and the gateway renders the CloudEvent around them.
 */
class StreamEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneAnnouncementIsOneCloudEventToItsUser() throws Exception {
        List<StreamEvent> events = StreamEvent.fromAnnouncements(
                "3 1700000000000-0 invitation.received 3abc-1 PENDING 3abc.1.1 2026-11-30T10:00:00.000Z {\"message\":\"a b\"}", "bob");
        assertEquals(1, events.size());
        StreamEvent event = events.get(0);
        assertEquals(3, event.shard());
        assertEquals("1700000000000-0", event.streamId());
        assertEquals("invitation.received", event.type());
        assertEquals("3abc-1", event.invitationId());
        assertEquals("PENDING", event.state());
        assertEquals("{\"specversion\":\"1.0\",\"id\":\"3abc.1.1\",\"source\":\"/conferences/3abc\",\"type\":\"invitation.received\","
                + "\"time\":\"2026-11-30T10:00:00.000Z\",\"subject\":\"bob\",\"data\":{\"message\":\"a b\"}}", event.json());
        JsonNode parsed = JSON.readTree(event.json());
        assertEquals("a b", parsed.path("data").path("message").asText());
        assertTrue(event.ringsInvitee());
    }

    @Test
    void aStepsAnnouncementsArriveTogetherInTheirOrder() throws Exception {
        List<StreamEvent> events = StreamEvent.fromAnnouncements(
                "3 1700000000000-0 invitation.received 3abc-1 PENDING 3abc.1.1 2026-11-30T10:00:00.000Z {}\n"
                        + "3 1700000000000-1 participant.added - - 3abc.1.2 2026-11-30T10:00:00.000Z {}\n"
                        + "3 1700000000000-2 participant.added - - 3abc.1.5 2026-11-30T10:00:00.000Z {\"text\":\"line\\\\nbreak\"}",
                "bob");
        assertEquals(List.of("1700000000000-0", "1700000000000-1", "1700000000000-2"),
                events.stream().map(StreamEvent::streamId).toList());
        assertEquals(List.of("invitation.received", "participant.added", "participant.added"),
                events.stream().map(StreamEvent::type).toList());
        assertNull(events.get(1).invitationId());
        assertNull(events.get(1).state());
        assertEquals("line\\nbreak", JSON.readTree(events.get(2).json()).path("data").path("text").asText());
    }

    @Test
    void anEntryWrittenWithItsWholeCloudEventIsReadAsItIs() {
        StreamEvent event = StreamEvent.fromAnnouncements(
                "3 1700000000000-0 participant.added - - {\"id\":\"c.1.1\",\"data\":{\"message\":\"a b\"}}", "bob").get(0);
        assertEquals("participant.added", event.type());
        assertEquals("{\"id\":\"c.1.1\",\"data\":{\"message\":\"a b\"}}", event.json());
    }

    @Test
    void aRingingInvitationIsReannouncedAsItsReceivedEvent() {
        StreamEvent event = StreamEvent.ringing("3abc-1 RINGING 3abc.1.1 2026-11-30T10:00:00.000Z {\"state\":\"RINGING\"}", "bob");
        assertEquals("invitation.received", event.type());
        assertEquals("3abc-1", event.invitationId());
        assertEquals("RINGING", event.state());
        assertTrue(event.json().contains("\"id\":\"3abc.1.1\"") && event.json().contains("\"subject\":\"bob\""), event.json());
    }

    @Test
    void anUnreadableLineIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> StreamEvent.fromAnnouncements("3 1-0 participant.added - - 3abc.1.1 2026-11-30T10:00:00.000Z {}\nnonsense", "bob"));
    }
}
