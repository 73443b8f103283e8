package dev.beckon.store;

import java.util.ArrayList;
import java.util.List;

import dev.beckon.api.ApiException;
import dev.beckon.api.ErrorCode;
import io.vertx.mutiny.redis.client.Response;

/**
 * The reply convention of Beckon's scripts: {@code ['ok', item…]}, {@code ['noop']}, or
 * {@code ['err', code, message, state]}, where code is a contract error code.
 */
final class ScriptReply {

    private ScriptReply() {
    }

    /** The items of an 'ok' reply (empty for 'noop'); an 'err' reply is thrown as the API error it names. */
    static List<String> items(Response reply) {
        String status = reply.get(0).toString();
        if ("err".equals(status)) {
            String state = reply.get(3).toString();
            throw new ApiException(ErrorCode.fromCode(reply.get(1).toString()), reply.get(2).toString(),
                    state.isEmpty() ? null : state, null);
        }
        List<String> items = new ArrayList<>(reply.size() - 1);
        for (int i = 1; i < reply.size(); i++) {
            items.add(reply.get(i).toString());
        }
        return items;
    }
}
