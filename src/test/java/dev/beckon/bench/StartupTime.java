package dev.beckon.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.beckon.redis.EmbeddedRedisServer;
import dev.beckon.support.ServiceProcess;
import dev.beckon.support.Tokens;

/**
 * Start-up: {@code ./mvnw -Pbench verify -Dbench.main=dev.beckon.bench.StartupTime}. Launches the
 * packaged application several times and prints, as medians, the time from launching the
 * process to the first answered function call, and the resident memory after that call. With
 * {@code -Dbench.native=<path to the native executable>} it measures that too, and with
 * {@code -Dbench.aot.java=<java of a JDK 25+>} the JVM with the AOT cache that
 * {@code deploy/docker/train-aot.sh} recorded for that java in {@code -Dbench.aot.app} (default
 * {@code target/aot-app}: an {@code aot-jar} package, see the README), with the JVM options of
 * {@code deploy/docker/Dockerfile.jvm}.
 */
public final class StartupTime {

    private static final int RUNS = Integer.getInteger("bench.runs", 5);

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        EmbeddedRedisServer redis = new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start();
        try {
            measure("JVM (java -jar target/quarkus-app/quarkus-run.jar)", List.of(
                    ProcessHandle.current().info().command().orElse("java"), "-jar", "target/quarkus-app/quarkus-run.jar"), null, redis);
            String aotJava = System.getProperty("bench.aot.java");
            if (aotJava != null) {
                Path app = Path.of(System.getProperty("bench.aot.app", "target/aot-app")).toAbsolutePath();
                if (!Files.exists(app.resolve("app.aot"))) {
                    throw new IllegalStateException("No AOT cache at " + app.resolve("app.aot")
                            + ": package with -Dquarkus.package.jar.type=aot-jar, copy target/quarkus-app there and run deploy/docker/train-aot.sh on it");
                }
                List<String> shipped = shippedJvmOptions();
                List<String> command = new ArrayList<>(List.of(aotJava));
                command.addAll(shipped);
                command.addAll(List.of("-jar", "quarkus-run.jar"));
                measure("JVM with AOT cache (" + aotJava + " " + String.join(" ", shipped) + ", in " + app + ")", command, app, redis);
                measure("same JDK and jars without the cache", List.of(aotJava, "-jar", "quarkus-run.jar"), app, redis);
            }
            String nativeExecutable = System.getProperty("bench.native");
            if (nativeExecutable != null && Files.isExecutable(Path.of(nativeExecutable))) {
                measure("native (" + nativeExecutable + ")", List.of(nativeExecutable), null, redis);
            }
        } finally {
            redis.stop();
        }
    }

    /**
     * The JVM's {@code -XX:} options that {@code deploy/docker/Dockerfile.jvm} starts Beckon with
     * (its JDK_JAVA_OPTIONS and ENTRYPOINT, the comments left out), so the row measures what ships.
     */
    static List<String> shippedJvmOptions() throws IOException {
        List<String> options = new ArrayList<>();
        Pattern option = Pattern.compile("-XX:[^\\s\"]+");
        for (String line : Files.readAllLines(Path.of("deploy/docker/Dockerfile.jvm"))) {
            if (!line.stripLeading().startsWith("#")) {
                Matcher found = option.matcher(line);
                while (found.find()) {
                    options.add(found.group());
                }
            }
        }
        if (!options.contains("-XX:AOTCache=app.aot")) {
            throw new IllegalStateException("deploy/docker/Dockerfile.jvm no longer starts from app.aot: " + options);
        }
        return options;
    }

    private static void measure(String what, List<String> command, Path directory, EmbeddedRedisServer redis) throws Exception {
        Map<String, String> settings = ServiceProcess.productionSettings(redis.uri());
        String token = Tokens.user("startup");
        HttpClient http = HttpClient.newHttpClient();
        List<Long> firstCall = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Long> cpu = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            int port = EmbeddedRedisServer.freePort();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            builder.environment().putAll(settings);
            long begin = System.nanoTime();
            Process process = builder.start();
            HttpRequest call = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/listInvitations"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"direction\":\"incoming\"}")).build();
            while (true) {
                try {
                    if (http.send(call, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException(what + " exited during start-up");
                }
                Thread.sleep(2);
            }
            firstCall.add((System.nanoTime() - begin) / 1_000_000);
            rss.add(ServiceProcess.rssMiB(process.pid()));
            CpuTime used = CpuTime.of(process.pid());
            cpu.add(used.userMs() + used.systemMs());
            process.destroy();
            process.waitFor();
        }
        Collections.sort(firstCall);
        Collections.sort(rss);
        Collections.sort(cpu);
        // the CPU time (all threads, the JIT compilers included) depends far less on what else the machine runs
        System.out.printf("%s: launch → first answered call %d ms (median of %d; %d–%d), CPU used by then %d ms (%d–%d), RSS after it %.0f MiB%n",
                what, firstCall.get(RUNS / 2), RUNS, firstCall.get(0), firstCall.get(RUNS - 1), cpu.get(RUNS / 2), cpu.get(0),
                cpu.get(RUNS - 1), rss.get(RUNS / 2));
    }
}
