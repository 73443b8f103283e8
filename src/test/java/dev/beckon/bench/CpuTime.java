package dev.beckon.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** User and system CPU time a process has used so far (Linux /proc), in milliseconds. */
record CpuTime(long userMs, long systemMs) {

    private static final long TICK_MS = 10; // USER_HZ is 100 on Linux

    static CpuTime of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new CpuTime(Long.parseLong(fields[11]) * TICK_MS, Long.parseLong(fields[12]) * TICK_MS);
        } catch (Exception e) {
            return new CpuTime(0, 0);
        }
    }

    /** A process and its children (nginx: the master and its workers). */
    static CpuTime ofTree(long pid) {
        CpuTime total = of(pid);
        var process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            for (ProcessHandle child : process.get().children().toList()) {
                CpuTime c = of(child.pid());
                total = new CpuTime(total.userMs + c.userMs, total.systemMs + c.systemMs);
            }
        }
        return total;
    }

    CpuTime minus(CpuTime earlier) {
        return new CpuTime(userMs - earlier.userMs, systemMs - earlier.systemMs);
    }

    /** "user+sys µs per cycle (share of one core)". */
    String perCycle(long cycles, double seconds) {
        if (cycles == 0) {
            return "-";
        }
        return String.format("%4.0f+%-4.0f µs (%3.0f%%)", userMs * 1000.0 / cycles, systemMs * 1000.0 / cycles,
                (userMs + systemMs) / 10.0 / seconds);
    }
}
