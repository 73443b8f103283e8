package dev.beckon.gateway;

import dev.beckon.store.Shards;

/**
 * Where a session stands in its user's event streams, one per shard. It is the SSE {@code id}
 * of every event: {@code <shard hex>:<stream id>} pairs joined by commas ({@code -} when the
 * user has no streams yet). A client reconnecting with it as {@code Last-Event-ID} gets exactly
 * the entries after it in each shard, so every event arrives once and, within a conference, in order.
 */
final class StreamPosition {

    private static final String HEX = "0123456789abcdef";

    /** Per shard, the last entry delivered; null: before the first one. */
    private final String[] last = new String[Shards.COUNT];

    String of(int shard) {
        return last[shard];
    }

    /** Moves to {@code streamId} if it is after where the shard stands; false for an entry already delivered. */
    boolean advance(int shard, String streamId) {
        if (last[shard] != null && compare(streamId, last[shard]) <= 0) {
            return false;
        }
        last[shard] = streamId;
        return true;
    }

    void set(int shard, String streamId) {
        last[shard] = streamId;
    }

    /** Takes over where {@code other} stands in every shard. */
    void setAll(StreamPosition other) {
        System.arraycopy(other.last, 0, last, 0, Shards.COUNT);
    }

    StreamPosition copy() {
        StreamPosition copy = new StreamPosition();
        copy.setAll(this);
        return copy;
    }

    String encode() {
        StringBuilder id = new StringBuilder();
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            if (last[shard] != null) {
                if (id.length() > 0) {
                    id.append(',');
                }
                id.append(HEX.charAt(shard)).append(':').append(last[shard]);
            }
        }
        return id.length() == 0 ? "-" : id.toString();
    }

    /** Reads an SSE id this class wrote; anything else is an IllegalArgumentException. */
    static StreamPosition parse(String encoded) {
        StreamPosition position = new StreamPosition();
        if (encoded.equals("-")) {
            return position;
        }
        if (encoded.length() > 1024) {
            throw new IllegalArgumentException("too long");
        }
        for (String pair : encoded.split(",", -1)) {
            if (pair.length() < 5 || pair.charAt(1) != ':') {
                throw new IllegalArgumentException(pair);
            }
            int shard = HEX.indexOf(pair.charAt(0));
            String streamId = pair.substring(2);
            if (shard < 0 || !isStreamId(streamId) || position.last[shard] != null) {
                throw new IllegalArgumentException(pair);
            }
            position.last[shard] = streamId;
        }
        return position;
    }

    /** Orders Redis stream ids ({@code <ms>-<seq>}). */
    static int compare(String a, String b) {
        int byMs = Long.compare(millisOf(a), millisOf(b));
        return byMs != 0 ? byMs : Long.compare(sequenceOf(a), sequenceOf(b));
    }

    /** The time part of a stream id: when Redis appended the entry, in epoch ms. */
    static long millisOf(String streamId) {
        return Long.parseLong(streamId, 0, streamId.indexOf('-'), 10);
    }

    private static long sequenceOf(String streamId) {
        return Long.parseLong(streamId, streamId.indexOf('-') + 1, streamId.length(), 10);
    }

    private static boolean isStreamId(String id) {
        int dash = id.indexOf('-');
        if (dash <= 0 || dash == id.length() - 1 || dash > 19 || id.length() - dash > 20) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (i != dash && (id.charAt(i) < '0' || id.charAt(i) > '9')) {
                return false;
            }
        }
        return true;
    }
}
