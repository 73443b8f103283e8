package dev.beckon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A script step announces all of one user's events in one message, one line each, in order. */
class StreamEventTest {

    @Test
    void oneAnnouncementIsOneEvent() {
        List<StreamEvent> events = StreamEvent.fromAnnouncements(
                "3 1700000000000-0 invitation.received c-1 PENDING {\"id\":\"c.1.1\",\"data\":{\"message\":\"a b\"}}");
        assertEquals(1, events.size());
        StreamEvent event = events.get(0);
        assertEquals(3, event.shard());
        assertEquals("1700000000000-0", event.streamId());
        assertEquals("invitation.received", event.type());
        assertEquals("c-1", event.invitationId());
        assertEquals("PENDING", event.state());
        assertEquals("{\"id\":\"c.1.1\",\"data\":{\"message\":\"a b\"}}", event.json());
        assertTrue(event.ringsInvitee());
    }

    @Test
    void aStepsAnnouncementsArriveTogetherInTheirOrder() {
        List<StreamEvent> events = StreamEvent.fromAnnouncements(
                "3 1700000000000-0 invitation.received c-1 PENDING {\"id\":\"c.1.1\"}\n"
                        + "3 1700000000000-1 participant.added - - {\"id\":\"c.1.2\"}\n"
                        + "3 1700000000000-2 participant.added - - {\"id\":\"c.1.5\",\"data\":{\"text\":\"line\\\\nbreak\"}}");
        assertEquals(List.of("1700000000000-0", "1700000000000-1", "1700000000000-2"),
                events.stream().map(StreamEvent::streamId).toList());
        assertEquals(List.of("invitation.received", "participant.added", "participant.added"),
                events.stream().map(StreamEvent::type).toList());
        assertNull(events.get(1).invitationId());
        assertNull(events.get(1).state());
        assertEquals("{\"id\":\"c.1.5\",\"data\":{\"text\":\"line\\\\nbreak\"}}", events.get(2).json());
    }

    @Test
    void anUnreadableLineIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> StreamEvent.fromAnnouncements("3 1-0 participant.added - - {}\nnonsense"));
    }
}
