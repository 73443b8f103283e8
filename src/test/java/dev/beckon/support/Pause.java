package dev.beckon.support;

/** Thread.sleep for tests that pace themselves inside lambdas and loops, where the interrupt cannot be thrown. */
public final class Pause {

    private Pause() {
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
