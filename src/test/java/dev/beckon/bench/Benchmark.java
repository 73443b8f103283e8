package dev.beckon.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import dev.beckon.redis.EmbeddedRedisServer;
import dev.beckon.support.ServiceProcess;
import dev.beckon.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;

/**
 * The benchmark: {@code ./mvnw -Pbench verify}. Starts a real Redis and the packaged Beckon, drives
 * full call cycles over open SSE streams (closed loop at several pair counts, then at a fixed
 * rate), and the same load against Nchan in memory and on Redis when its peer script is there.
 * Prints cycles/s, latency percentiles, errors, Redis commands per cycle, Redis memory per
 * pending invitation and Beckon's RSS.
 * <p>
 * Options (system properties): {@code bench.pairs} (default 4,32), {@code bench.seconds} (15),
 * {@code bench.warmup} (20 s before each measured run, twice that before a Beckon JVM's first),
 * {@code bench.rates} (fixed-rate runs as pairs@cycles-per-second, default 4@500,32@1000; none
 * skips them), {@code bench.hooks} (true: Beckon again with webhooks on, to a receiver answering 204),
 * {@code bench.pending} (invitations for the memory figure, 5000), {@code bench.nchan}
 * (the peer's start.sh, default ../shared/peers/nchan/start.sh; "none" skips it), {@code bench.jvm}
 * (options for Beckon's JVM, default one event loop). {@code -Dbench.mode=redis} prints only the
 * Redis figures (see {@link RedisFigures}).
 */
public final class Benchmark {

    private static final int[] PAIRS = Arrays.stream(System.getProperty("bench.pairs", "4,32").split(","))
            .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    private static final Duration SECONDS = Duration.ofSeconds(Long.getLong("bench.seconds", 15));
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup", 20));
    /**
     * Beckon's JVM options. One event loop: on a 2-core machine that also runs Redis and the load
     * generator, handing work between event loop threads costs more than a second loop gains.
     */
    private static final String JVM = System.getProperty("bench.jvm", "-Dquarkus.vertx.event-loops-pool-size=1");
    /** Fixed-rate runs as pairs@cycles-per-second. */
    private static final List<String> RATES = Arrays.stream(System.getProperty("bench.rates", "4@500,32@1000").split(","))
            .map(String::trim).filter(s -> !s.isEmpty() && !s.equals("none")).toList();
    private static final int PENDING = Integer.getInteger("bench.pending", 5000);
    /** Whether to run Beckon a second time with webhooks on. */
    private static final boolean HOOKS = Boolean.parseBoolean(System.getProperty("bench.hooks", "true"));

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final List<String> report = new ArrayList<>();
    private final Map<String, Double> closedLoop = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if ("redis".equals(System.getProperty("bench.mode"))) {
            RedisFigures.main(args);
            return;
        }
        Benchmark benchmark = new Benchmark();
        try {
            benchmark.runAll();
        } finally {
            benchmark.vertx.close();
        }

    }

    private void runAll() throws Exception {
        line("Beckon benchmark — " + machine());
        EmbeddedRedisServer redis = new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start();
        line("Redis " + redis.version() + ", Java " + System.getProperty("java.version") + "; every process on this machine, loopback only");
        try (ServiceProcess beckon = startBeckon(redis)) {
            line(String.format("Beckon JVM (%s) started and ready in %d ms", JVM.isBlank() ? "defaults" : JVM, beckon.startMillis));
            HttpClient streams = client(beckon.port(), 4096);
            HttpClient calls = client(beckon.port(), 128);
            BeckonTarget target = new BeckonTarget(calls, Tokens::user);
            header();
            closedLoops(target, streams, redis, beckon.pid());
            for (String run : RATES) {
                String[] at = run.split("@");
                measure(target, streams, Integer.parseInt(at[0]), WARMUP, Double.parseDouble(at[1]), redis, beckon.pid());
            }
            line(String.format("Redis memory per pending invitation: %.0f bytes (%d invitations held open)",
                    memoryPerPendingInvitation(calls, redis), PENDING));
            line(String.format("Beckon JVM RSS after the run: %.0f MiB", beckon.rssMiB()));
            line("Redis time by command over the whole Beckon run: " + commandTimes(redis));
        } finally {
            redis.stop();
        }
        if (HOOKS) {
            runWithWebhooks();
        }
        runNchan();
        summary();
    }

    /** A closed-loop run per pair count against a Beckon JVM just started: the first also warms its JIT up. */
    private void closedLoops(Target target, HttpClient streams, EmbeddedRedisServer redis, long servicePid)
            throws InterruptedException {
        boolean first = true;
        for (int pairs : PAIRS) {
            measure(target, streams, pairs, first ? WARMUP.multipliedBy(2) : WARMUP, null, redis, servicePid);
            first = false;
        }
    }

    private void measure(Target target, HttpClient streams, int pairs, Duration warmup, Double rate, EmbeddedRedisServer redis)
            throws InterruptedException {
        measure(target, streams, pairs, warmup, rate, redis, -1);
    }

    private void measure(Target target, HttpClient streams, int pairs, Duration warmup, Double rate, EmbeddedRedisServer redis,
            long servicePid) throws InterruptedException {
        LoadGenerator generator = new LoadGenerator(vertx, streams, target);
        long[] commands = new long[2];
        long self = ProcessHandle.current().pid();
        long redisPid = redis == null ? -1 : redis.pid();
        CpuTime[] cpu = new CpuTime[6];
        generator.onMeasure(() -> {
            commands[0] = totalCommands(redis);
            cpu[0] = CpuTime.ofTree(servicePid);
            cpu[1] = CpuTime.of(redisPid);
            cpu[2] = CpuTime.of(self);
        }, () -> {
            commands[1] = totalCommands(redis);
            cpu[3] = CpuTime.ofTree(servicePid);
            cpu[4] = CpuTime.of(redisPid);
            cpu[5] = CpuTime.of(self);
        });
        LoadGenerator.Result result = generator.run(pairs, warmup, SECONDS, rate);
        double perCycle = redis == null || result.cycles() == 0 ? Double.NaN : (commands[1] - commands[0]) / (double) result.cycles();
        row(result, perCycle);
        line(String.format("    CPU per cycle (user+sys):%s redis %s, load generator %s",
                servicePid > 0 ? " service " + cpu[3].minus(cpu[0]).perCycle(result.cycles(), result.seconds()) + "," : "",
                redisPid > 0 ? cpu[4].minus(cpu[1]).perCycle(result.cycles(), result.seconds()) : "-",
                cpu[5].minus(cpu[2]).perCycle(result.cycles(), result.seconds())));
        if (rate == null) {
            closedLoop.put(target.name() + "@" + pairs, result.cyclesPerSecond());
        }
    }

    /**
     * Beckon again, on a fresh Redis, with webhooks on: every event is also queued, signed and
     * POSTed to a receiver in this process that answers 204 at once.
     */
    private void runWithWebhooks() throws Exception {
        AtomicLong delivered = new AtomicLong();
        HttpServer receiver = vertx.createHttpServer().requestHandler(request -> request.body().onComplete(body -> {
            delivered.incrementAndGet();
            request.response().setStatusCode(204).end();
        }));
        int port = receiver.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        EmbeddedRedisServer redis = new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start();
        try (ServiceProcess beckon = startBeckon(redis, Map.of("BECKON_WEBHOOK_URL", "http://127.0.0.1:" + port + "/hooks",
                "BECKON_WEBHOOK_SECRET", "whsec_" + Base64.getEncoder().encodeToString(key)))) {
            line("");
            line("With webhooks on (each event POSTed to a receiver that answers 204), on a fresh Redis and Beckon:");
            HttpClient streams = client(beckon.port(), 4096);
            BeckonTarget target = new BeckonTarget(client(beckon.port(), 128), Tokens::user, "Beckon+hooks");
            header();
            closedLoops(target, streams, redis, beckon.pid());
            line(String.format("Webhook deliveries answered 204 over the whole run: %d", delivered.get()));
        } finally {
            redis.stop();
            receiver.close();
        }
    }

    private void runNchan() throws Exception {
        String script = System.getProperty("bench.nchan", "../shared/peers/nchan/start.sh");
        if (script.equals("none") || !Files.isExecutable(Path.of(script))) {
            line("Nchan: skipped (no peer script at " + script + "; pass -Dbench.nchan=<path to start.sh>)");
            return;
        }
        header();
        for (String store : List.of("memory", "redis")) {
            EmbeddedRedisServer redis = store.equals("redis") ? new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start() : null;
            int port = EmbeddedRedisServer.freePort();
            List<String> command = new ArrayList<>(List.of(script, Integer.toString(port), store));
            if (redis != null) {
                command.add(Integer.toString(redis.port()));
            }
            Process start = new ProcessBuilder(command).redirectErrorStream(true).start();
            String printed = new BufferedReader(new InputStreamReader(start.getInputStream())).lines()
                    .reduce("", (a, b) -> b.startsWith("http://") ? b : a);
            start.waitFor();
            if (printed.isEmpty()) {
                line("Nchan " + store + ": could not be started (" + String.join(" ", command) + ")");
                continue;
            }
            String directory = printed.split(" ")[1];
            String pid = Files.readString(Path.of(directory, "nginx.pid")).trim();
            try {
                NchanTarget target = new NchanTarget(client(port, 128), "Nchan/" + store);
                HttpClient streams = client(port, 4096);
                for (int pairs : PAIRS) {
                    measure(target, streams, pairs, WARMUP, null, redis, Long.parseLong(pid));
                }
            } finally {
                new ProcessBuilder("kill", pid).start().waitFor();
                if (redis != null) {
                    redis.stop();
                }
            }
        }
    }

    private ServiceProcess startBeckon(EmbeddedRedisServer redis) throws Exception {
        return startBeckon(redis, Map.of());
    }

    private ServiceProcess startBeckon(EmbeddedRedisServer redis, Map<String, String> settings) throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("No " + jar + ": run ./mvnw -Pbench verify (it packages first)");
        }
        Map<String, String> env = ServiceProcess.productionSettings(redis.uri());
        // the limiter still runs on every invite, but the load generator's few users must not hit it
        env.put("BECKON_RATE_LIMIT_INVITES_PER_MINUTE", "100000000");
        env.putAll(settings);
        List<String> jvm = Arrays.stream(JVM.split(" ")).filter(s -> !s.isBlank()).toList();
        return ServiceProcess.start(jar, EmbeddedRedisServer.freePort(), env, jvm);
    }

    /** Redis memory one open invitation costs: used_memory before and after holding {@link #PENDING} of them. */
    private double memoryPerPendingInvitation(HttpClient calls, EmbeddedRedisServer redis) throws Exception {
        BeckonTarget target = new BeckonTarget(calls, Tokens::user);
        redis.call("MEMORY", "PURGE");
        long before = usedMemory(redis);
        Semaphore inFlight = new Semaphore(64);
        List<CompletableFuture<String>> all = new ArrayList<>();
        String run = "mem" + System.nanoTime() % 100_000;
        for (int i = 0; i < PENDING; i++) {
            inFlight.acquire();
            CompletableFuture<String> done = target.invite(run + "-a" + i, run + "-b" + i, null)
                    .onComplete(r -> inFlight.release()).toCompletionStage().toCompletableFuture();
            all.add(done);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return (usedMemory(redis) - before) / (double) PENDING;
    }

    private static long usedMemory(EmbeddedRedisServer redis) {
        return Long.parseLong(info(redis, "memory", "used_memory"));
    }

    /** Commands Redis has executed, apart from the INFO calls that count them. */
    private static long totalCommands(EmbeddedRedisServer redis) {
        if (redis == null) {
            return 0;
        }
        long total = 0;
        for (String line : ((String) redis.call("INFO", "commandstats")).split("\r\n")) {
            if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")) {
                int calls = line.indexOf("calls=");
                total += Long.parseLong(line.substring(calls + 6, line.indexOf(',', calls)));
            }
        }
        return total;
    }

    /** The commands Redis spent most time in, with calls and µs per call. */
    private static String commandTimes(EmbeddedRedisServer redis) {
        List<String[]> stats = new ArrayList<>();
        for (String line : ((String) redis.call("INFO", "commandstats")).split("\r\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring(8, line.indexOf(':'));
                String calls = line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1");
                String usec = line.replaceAll("^[^:]*:calls=\\d+,usec=(\\d+),.*", "$1");
                String perCall = line.replaceAll(".*,usec_per_call=([\\d.]+),.*", "$1");
                stats.add(new String[] { name, calls, usec, perCall });
            }
        }
        stats.sort((a, b) -> Long.compare(Long.parseLong(b[2]), Long.parseLong(a[2])));
        return stats.stream().limit(8).map(s -> s[0] + " " + s[1] + "×" + s[3] + "µs").reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static String info(EmbeddedRedisServer redis, String section, String field) {
        for (String line : ((String) redis.call("INFO", section)).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new IllegalStateException("no " + field);
    }

    private HttpClient client(int port, int connections) {
        return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
                .setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    private void header() {
        line(String.format("%-13s %5s %11s %9s  %-46s  %-46s %6s %9s", "target", "pairs", "mode", "cycles/s",
                "invite → received", "accept → accepted", "errors", "redis/cyc"));
    }

    private void row(LoadGenerator.Result r, double redisPerCycle) {
        line(String.format("%-13s %5d %11s %9.0f  %-46s  %-46s %6d %9s", r.target(), r.pairs(), r.mode(), r.cyclesPerSecond(),
                r.received().summary(), r.accepted().summary(), r.errors(),
                Double.isNaN(redisPerCycle) ? "-" : String.format("%.1f", redisPerCycle)));
        if (r.firstError() != null) {
            line("    first error: " + r.firstError());
        }
    }

    private void summary() {
        line("");
        line("Beckon / peer, full cycles per second, closed loop:");
        for (int pairs : PAIRS) {
            for (String beckon : List.of("Beckon", "Beckon+hooks")) {
                Double ours = closedLoop.get(beckon + "@" + pairs);
                for (String peer : List.of("Nchan/memory", "Nchan/redis")) {
                    Double other = closedLoop.get(peer + "@" + pairs);
                    if (ours != null && other != null && other > 0) {
                        line(String.format("  %2d pairs: %-12s %5.0f / %-12s %5.0f = %.2f×", pairs, beckon, ours, peer, other, ours / other));
                    }
                }
            }
        }
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (Exception e) {
            // not Linux
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() >> 30;
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memory + " GiB";
    }

    private void line(String text) {
        report.add(text);
        System.out.println(text);
        System.out.flush();
    }
}
