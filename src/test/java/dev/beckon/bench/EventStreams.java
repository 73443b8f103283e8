package dev.beckon.bench;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;

/**
 * Opens the benchmark's SSE streams: each feeds its chunks to its parser, counts down
 * {@code opened} at its first chunk (the stream's opening comment, so it is subscribed before
 * the first call), and is kept in {@code responses} so that it can be closed at the end.
 */
final class EventStreams {

    private EventStreams() {
    }

    /** {@code authorization} is the header's value, or null for a target without one. */
    static Future<HttpClientResponse> open(HttpClient client, String path, String authorization, SseParser parser,
            CountDownLatch opened, List<HttpClientResponse> responses) {
        return client.request(HttpMethod.GET, path).compose(request -> {
            request.putHeader("Accept", "text/event-stream");
            if (authorization != null) {
                request.putHeader("Authorization", authorization);
            }
            return request.send();
        }).onSuccess(response -> {
            synchronized (responses) {
                responses.add(response);
            }
            boolean[] first = { true };
            response.handler(chunk -> {
                if (first[0]) {
                    first[0] = false;
                    opened.countDown();
                }
                parser.feed(chunk);
            });
        });
    }
}
