package dev.beckon.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.beckon.push.crypto.EcKeys;
import dev.beckon.redis.EmbeddedRedisServer;
import dev.beckon.support.ServiceProcess;
import dev.beckon.support.Tokens;
import dev.beckon.support.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.PoolOptions;

/**
 * The benchmark's Redis figures alone: {@code ./mvnw -Pbench verify -Dbench.mode=redis}. Counts,
 * not times, so they hold on a busy machine. For the packaged Beckon with webhooks off, then on
 * (with Web Push configured too), against a fresh Redis each time:
 * <ul>
 * <li>Redis commands per full call cycle, by command, from {@code INFO commandstats} (which
 * counts the commands a script runs, besides the EVALSHA itself), and Redis CPU per cycle;</li>
 * <li>Redis {@code used_memory} per pending 1:1 call (created, rung on the callee's open stream),
 * over {@code bench.pending} calls between distinct users, and the same by key type
 * ({@code MEMORY USAGE} of every key, before and after);</li>
 * <li>with webhooks and push on, the commands an idle gateway sends over {@code bench.idle}
 * seconds.</li>
 * </ul>
 * The cycles run in a closed loop, or at a fixed rate with {@code bench.rate} (cycles per
 * second), which makes Redis' CPU per cycle compare between versions.
 * Options: {@code bench.pairs} (first value, 4), {@code bench.seconds} (10), {@code bench.warmup}
 * (5), {@code bench.pending} (500; 0 skips the memory figures), {@code bench.idle} (30; 0 skips it),
 * {@code bench.hooks} (true; false skips the run with webhooks and push on). The Redis is
 * {@code redis-server} from the PATH, or the bundled 6.2 with {@code BECKON_REDIS_SERVER=embedded}.
 */
final class RedisFigures {

    private static final int PAIRS = Integer.parseInt(System.getProperty("bench.pairs", "4").split(",")[0].trim());
    private static final Duration SECONDS = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup", 5));
    /**
     * Cycles per second, or 0 for a closed loop (the default: each cycle's commands counted whole).
     * A fixed rate makes Redis' CPU per cycle compare between versions, its idle work being spread
     * over the same number of cycles.
     */
    private static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "0"));
    private static final int PENDING = Integer.getInteger("bench.pending", 500);
    private static final Duration IDLE = Duration.ofSeconds(Long.getLong("bench.idle", 30));
    private static final boolean HOOKS = Boolean.parseBoolean(System.getProperty("bench.hooks", "true"));
    private static final String JVM = System.getProperty("bench.jvm", "-Dquarkus.vertx.event-loops-pool-size=1");

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        RedisFigures figures = new RedisFigures();
        try {
            figures.run(false);
            if (HOOKS) {
                figures.run(true);
            }
        } finally {
            figures.vertx.close();
        }
    }

    private void run(boolean hooks) throws Exception {
        EmbeddedRedisServer redis = new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start();
        WebhookReceiver receiver = hooks ? WebhookReceiver.start() : null;
        Map<String, String> env = ServiceProcess.productionSettings(redis.uri());
        env.put("BECKON_RATE_LIMIT_INVITES_PER_MINUTE", "100000000");
        if (hooks) {
            env.put("BECKON_WEBHOOK_URL", receiver.url());
            env.put("BECKON_WEBHOOK_SECRET", receiver.secret());
            Path vapid = Files.createTempFile("beckon-bench-vapid", ".pem");
            Files.writeString(vapid, EcKeys.writePrivateKey((ECPrivateKey) EcKeys.generate().getPrivate()));
            env.put("BECKON_PUSH_VAPID_PRIVATE_KEY_LOCATION", vapid.toString());
            env.put("BECKON_PUSH_VAPID_SUBJECT", "mailto:bench@example.com");
        }
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
        List<String> jvm = Arrays.stream(JVM.split(" ")).filter(s -> !s.isBlank()).toList();
        String label = hooks ? "webhooks and Web Push on" : "webhooks off";
        System.out.printf("%n== Redis %s, %s%n", redis.version(), label);
        try (ServiceProcess beckon = ServiceProcess.start(jar, EmbeddedRedisServer.freePort(), env, jvm)) {
            HttpClient streams = client(beckon.port(), 4096);
            HttpClient calls = client(beckon.port(), 128);
            if (hooks && !IDLE.isZero()) {
                idle(redis);
            }
            cycles(redis, streams, calls);
            if (PENDING > 0) {
                pending(redis, streams, calls);
            }
        } finally {
            redis.stop();
            if (receiver != null) {
                receiver.stop();
            }
        }
    }

    /** Commands an idle gateway sends: none of its own traffic, nothing open. */
    private void idle(EmbeddedRedisServer redis) throws InterruptedException {
        Thread.sleep(2000);
        redis.call("CONFIG", "RESETSTAT");
        Thread.sleep(IDLE.toMillis());
        Map<String, Long> stats = commandStats(redis);
        stats.remove("info");
        stats.remove("config|resetstat");
        stats.remove("config");
        long total = stats.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("Idle gateway: %d commands in %d s = %.2f/s: %s%n", total, IDLE.toSeconds(),
                total / (double) IDLE.toSeconds(), stats);
    }

    /** Full cycles: commands per cycle by command, and Redis CPU per cycle. */
    private void cycles(EmbeddedRedisServer redis, HttpClient streams, HttpClient calls) throws InterruptedException {
        // Redis' own idle work (its timers, the gateway's sweeps and pings), taken out of the CPU per cycle
        CpuTime idleFrom = CpuTime.of(redis.pid());
        long idleStart = System.nanoTime();
        Thread.sleep(5000);
        CpuTime idle = CpuTime.of(redis.pid()).minus(idleFrom);
        double idleMsPerSecond = (idle.userMs() + idle.systemMs()) / ((System.nanoTime() - idleStart) / 1e9);
        LoadGenerator generator = new LoadGenerator(vertx, streams, new BeckonTarget(calls, Tokens::user));
        List<Map<String, Long>> stats = new ArrayList<>();
        long[] scriptMicros = new long[2];
        CpuTime[] cpu = new CpuTime[2];
        generator.onMeasure(() -> {
            stats.add(commandStats(redis));
            scriptMicros[0] = commandMicros(redis, "evalsha") + commandMicros(redis, "fcall");
            cpu[0] = CpuTime.of(redis.pid());
        }, () -> {
            cpu[1] = CpuTime.of(redis.pid());
            scriptMicros[1] = commandMicros(redis, "evalsha") + commandMicros(redis, "fcall");
            stats.add(commandStats(redis));
        });
        LoadGenerator.Result result = generator.run(PAIRS, WARMUP, SECONDS, RATE > 0 ? RATE : null);
        Map<String, Long> delta = new TreeMap<>();
        stats.get(1).forEach((command, calls2) -> {
            long d = calls2 - stats.get(0).getOrDefault(command, 0L);
            if (d > 0 && !command.equals("info")) {
                delta.put(command, d);
            }
        });
        long cycles = result.cycles();
        long total = delta.values().stream().mapToLong(Long::longValue).sum();
        CpuTime used = cpu[1].minus(cpu[0]);
        StringBuilder by = new StringBuilder();
        delta.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> by.append(String.format(" %s %.2f", e.getKey(), e.getValue() / (double) cycles)));
        System.out.printf("Cycles: %d in %.1f s (%d pairs, %s, %d errors)%n", cycles, result.seconds(), PAIRS,
                RATE > 0 ? String.format("%.0f cycles/s", RATE) : "closed loop", result.errors());
        System.out.printf("Redis commands per cycle: %.2f (scripts' commands included)%n  by command:%s%n", total / (double) cycles, by);
        System.out.printf("Redis CPU per cycle: %.0f µs (user %.0f + sys %.0f), %.0f µs without Redis' idle work (%.1f ms/s);"
                + " in scripts and functions (EVALSHA and FCALL, commandstats, wall clock): %.0f µs%n",
                (used.userMs() + used.systemMs()) * 1000.0 / cycles, used.userMs() * 1000.0 / cycles, used.systemMs() * 1000.0 / cycles,
                (used.userMs() + used.systemMs() - idleMsPerSecond * result.seconds()) * 1000.0 / cycles, idleMsPerSecond,
                (scriptMicros[1] - scriptMicros[0]) / (double) cycles);
    }

    /**
     * Memory per pending call: {@link #PENDING} callees open their streams, then each is called by
     * a caller of its own and rings; used_memory and every key's MEMORY USAGE before and after.
     */
    private void pending(EmbeddedRedisServer redis, HttpClient streams, HttpClient calls) throws Exception {
        String run = "m" + Long.toString(System.nanoTime() % 1_000_000, 36);
        CountDownLatch open = new CountDownLatch(PENDING);
        CountDownLatch rung = new CountDownLatch(PENDING);
        List<HttpClientResponse> responses = new ArrayList<>();
        for (int i = 0; i < PENDING; i++) {
            listen(streams, run + "-b" + i, open, rung, responses);
        }
        if (!open.await(180, TimeUnit.SECONDS)) {
            throw new IllegalStateException("streams did not open");
        }
        Thread.sleep(1000);
        redis.call("MEMORY", "PURGE");
        long before = usedMemory(redis);
        Map<String, long[]> typesBefore = byKeyType(redis);
        BeckonTarget target = new BeckonTarget(calls, Tokens::user);
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<String>> all = new ArrayList<>();
        for (int i = 0; i < PENDING; i++) {
            inFlight.acquire();
            all.add(target.invite(run + "-a" + i, run + "-b" + i, null).onComplete(r -> inFlight.release())
                    .toCompletionStage().toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        if (!rung.await(180, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not every call reached its callee");
        }
        // the ringing receipts follow the deliveries; the outboxes settle
        Thread.sleep(1500);
        redis.call("MEMORY", "PURGE");
        long after = usedMemory(redis);
        Map<String, long[]> typesAfter = byKeyType(redis);
        System.out.printf("Redis used_memory per pending 1:1 call (ringing): %.0f bytes (%d calls)%n", (after - before) / (double) PENDING,
                PENDING);
        System.out.println("  by key type (keys per call, MEMORY USAGE bytes per call):");
        long sum = 0;
        for (Map.Entry<String, long[]> e : typesAfter.entrySet()) {
            long[] was = typesBefore.getOrDefault(e.getKey(), new long[2]);
            long keys = e.getValue()[0] - was[0];
            long bytes = e.getValue()[1] - was[1];
            if (bytes != 0 || keys != 0) {
                sum += bytes;
                System.out.printf("    %-22s %6.2f keys %7.0f bytes%n", e.getKey(), keys / (double) PENDING, bytes / (double) PENDING);
            }
        }
        System.out.printf("    %-22s %19.0f bytes%n", "sum", sum / (double) PENDING);
        synchronized (responses) {
            responses.forEach(r -> r.request().connection().close());
        }
    }

    private void listen(HttpClient streams, String userId, CountDownLatch open, CountDownLatch rung, List<HttpClientResponse> responses) {
        SseParser parser = new SseParser((name, json) -> {
            if ("invitation.received".equals(name)) {
                rung.countDown();
            }
        });
        EventStreams.open(streams, "/events", "Bearer " + Tokens.user(userId), parser, open, responses);
    }

    /** Keys by type ("bk:{}:c:*"): count and summed MEMORY USAGE. */
    static Map<String, long[]> byKeyType(EmbeddedRedisServer redis) {
        Map<String, long[]> types = new TreeMap<>();
        String cursor = "0";
        do {
            @SuppressWarnings("unchecked")
            List<Object> reply = (List<Object>) redis.call("SCAN", cursor, "COUNT", "1000");
            cursor = reply.get(0).toString();
            @SuppressWarnings("unchecked")
            List<Object> keys = (List<Object>) reply.get(1);
            List<String[]> usage = new ArrayList<>();
            for (Object key : keys) {
                usage.add(new String[] { "MEMORY", "USAGE", key.toString(), "SAMPLES", "0" });
            }
            List<Object> sizes = redis.callAll(usage);
            for (int i = 0; i < keys.size(); i++) {
                long[] t = types.computeIfAbsent(keyType(keys.get(i).toString()), k -> new long[2]);
                t[0]++;
                t[1] += sizes.get(i) == null ? 0 : Long.parseLong(sizes.get(i).toString());
            }
        } while (!cursor.equals("0"));
        return types;
    }

    /** "bk:{7}:c:0abc" → "bk:{}:c:*", "bk:bz:{alice}" → "bk:bz:{}". */
    static String keyType(String key) {
        String[] parts = key.replaceAll("\\{[^}]*\\}", "{}").split(":", -1);
        StringBuilder type = new StringBuilder();
        for (int i = 0; i < parts.length && i < 3; i++) {
            type.append(i == 0 ? "" : ":").append(parts[i]);
        }
        return parts.length > 3 ? type + ":*" : type.toString();
    }

    private static long usedMemory(EmbeddedRedisServer redis) {
        for (String line : ((String) redis.call("INFO", "memory")).split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring(12));
            }
        }
        throw new IllegalStateException("no used_memory");
    }

    /** Calls per command since the last CONFIG RESETSTAT ("evalsha", "xadd", …). */
    static Map<String, Long> commandStats(EmbeddedRedisServer redis) {
        Map<String, Long> stats = new TreeMap<>();
        for (String line : ((String) redis.call("INFO", "commandstats")).split("\r\n")) {
            if (line.startsWith("cmdstat_")) {
                int calls = line.indexOf("calls=");
                stats.put(line.substring(8, line.indexOf(':')), Long.parseLong(line.substring(calls + 6, line.indexOf(',', calls))));
            }
        }
        return stats;
    }

    /** Microseconds Redis has spent in {@code command} (a script's, its own commands included). */
    static long commandMicros(EmbeddedRedisServer redis, String command) {
        for (String line : ((String) redis.call("INFO", "commandstats")).split("\r\n")) {
            if (line.startsWith("cmdstat_" + command + ":")) {
                int usec = line.indexOf("usec=");
                return Long.parseLong(line.substring(usec + 5, line.indexOf(',', usec)));
            }
        }
        return 0;
    }

    private HttpClient client(int port, int connections) {
        return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
                .setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }
}
