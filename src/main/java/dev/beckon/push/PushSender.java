package dev.beckon.push;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one message to one device through one platform's push service. Never blocks and never
 * throws: every failure, a timeout included, completes the future with an outcome.
 */
public interface PushSender {

    Platform platform();

    CompletableFuture<PushOutcome> send(PushTarget target, PushMessage message);
}
