package dev.beckon.bench;

import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts a Server-Sent Events byte stream into events and hands over each event's name and data
 * line, as cheaply as possible: the load generator must not be what limits the figures.
 */
final class SseParser {

    private final BiConsumer<String, String> onEvent;
    private final StringBuilder pending = new StringBuilder();

    SseParser(BiConsumer<String, String> onEvent) {
        this.onEvent = onEvent;
    }

    void feed(Buffer chunk) {
        pending.append(chunk.toString(StandardCharsets.UTF_8));
        int end;
        while ((end = pending.indexOf("\n\n")) >= 0) {
            String block = pending.substring(0, end);
            pending.delete(0, end + 2);
            String name = null, data = null;
            int start = 0;
            while (start < block.length()) {
                int nl = block.indexOf('\n', start);
                if (nl < 0) {
                    nl = block.length();
                }
                if (block.startsWith("event:", start)) {
                    name = block.substring(start + 6, nl).trim();
                } else if (block.startsWith("data:", start)) {
                    data = block.substring(start + 5, nl);
                }
                start = nl + 1;
            }
            if (data != null) {
                onEvent.accept(name, data);
            }
        }
    }

    /** The value of {@code "invitationId":"…"} in an event's JSON, or null. */
    static String invitationId(String json) {
        int at = json.indexOf("\"invitationId\":\"");
        if (at < 0) {
            return null;
        }
        int from = at + 16;
        return json.substring(from, json.indexOf('"', from));
    }

    /** The value of {@code "type":"…"} in an event's JSON, or null. */
    static String type(String json) {
        int at = json.indexOf("\"type\":\"");
        if (at < 0) {
            return null;
        }
        int from = at + 8;
        return json.substring(from, json.indexOf('"', from));
    }
}
