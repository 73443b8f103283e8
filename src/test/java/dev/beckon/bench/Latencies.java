package dev.beckon.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, with the percentiles the report prints. */
final class Latencies {

    private long[] samples = new long[1 << 16];
    private int count;

    synchronized void add(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    synchronized int count() {
        return count;
    }

    synchronized void clear() {
        count = 0;
    }

    /** p in [0, 100]; milliseconds. */
    synchronized double percentileMs(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.max(0, Math.ceil(p / 100.0 * count) - 1));
        return sorted[index] / 1e6;
    }

    String summary() {
        return String.format("p50 %6.2f  p90 %6.2f  p99 %6.2f  max %7.2f ms", percentileMs(50), percentileMs(90),
                percentileMs(99), percentileMs(100));
    }
}
