package dev.beckon.store;

import java.util.ArrayList;
import java.util.List;

import dev.beckon.api.ApiException;
import dev.beckon.api.ErrorCode;
import io.vertx.mutiny.redis.client.Response;

/**
 * The reply convention of Beckon's scripts: {@code ['ok', transitions, item…]},
 * {@code ['noop', '']} or {@code ['err', transitions, code, message, state]}, where code is a
 * contract error code and transitions says what the step did to invitations (a refused step may
 * still have expired one it found past its deadline), followed by the busy-marker changes the
 * step implies, one per line.
 */
record ScriptReply(String transitions, List<String> marks, List<String> items, ApiException error) {

    static ScriptReply of(Response reply) {
        String status = reply.get(0).toString();
        // the transitions, then one line per busy-marker change (see BusyMarkers)
        String[] lines = reply.get(1).toString().split("\n");
        String transitions = lines[0];
        List<String> marks = lines.length == 1 ? List.of() : List.of(lines).subList(1, lines.length);
        if ("err".equals(status)) {
            String state = reply.get(4).toString();
            return new ScriptReply(transitions, marks, List.of(), new ApiException(ErrorCode.fromCode(reply.get(2).toString()),
                    reply.get(3).toString(), state.isEmpty() ? null : state, null));
        }
        List<String> items = new ArrayList<>(reply.size() - 2);
        for (int i = 2; i < reply.size(); i++) {
            items.add(reply.get(i).toString());
        }
        return new ScriptReply(transitions, marks, items, null);
    }

    /** The items of an 'ok' reply (empty for 'noop'); an 'err' reply is thrown as the API error it names. */
    List<String> itemsOrThrow() {
        if (error != null) {
            throw error;
        }
        return items;
    }
}
