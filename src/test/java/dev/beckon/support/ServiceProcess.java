package dev.beckon.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** The packaged Beckon, started as its own JVM process on loopback, as it runs in production. */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    public final long startMillis;

    private ServiceProcess(Process process, int port, Path log, long startMillis) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.startMillis = startMillis;
    }

    /**
     * The settings a production instance cannot start without: Redis, the application's public
     * key and issuer (those of {@link Tokens}), and a fresh signing key of its own.
     */
    public static Map<String, String> productionSettings(String redisUri) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_REDIS_HOSTS", redisUri);
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", Tokens.appPublicKeyFile());
        env.put("MP_JWT_VERIFY_ISSUER", Tokens.ISSUER);
        env.put("BECKON_TOKEN_KEY_LOCATION", Tokens.newSigningKeyFile().toString());
        return env;
    }

    public static ServiceProcess start(Path jar, int port, Map<String, String> env, List<String> jvmOptions) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        return start(command, port, env);
    }

    /**
     * Starts what the build packaged, as {@code @QuarkusIntegrationTest} does: the native
     * executable after {@code -Dnative}, otherwise the jar.
     */
    public static ServiceProcess startPackaged(int port, Map<String, String> env) throws Exception {
        Properties artifact = new Properties();
        Path description = Path.of("target/quarkus-artifact.properties");
        if (Files.exists(description)) {
            try (var in = Files.newInputStream(description)) {
                artifact.load(in);
            }
        }
        if ("native".equals(artifact.getProperty("type"))) {
            return start(List.of(Path.of("target", artifact.getProperty("path")).toAbsolutePath().toString()), port, env);
        }
        return start(Path.of("target/quarkus-app/quarkus-run.jar"), port, env, List.of());
    }

    public static ServiceProcess start(List<String> command, int port, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile("beckon-bench", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        long begin = System.nanoTime();
        Process process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Beckon did not start; see " + log + "\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return new ServiceProcess(process, port, log, (System.nanoTime() - begin) / 1_000_000);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Resident set size of the process, in MiB (from /proc). */
    public double rssMiB() {
        return rssMiB(process.pid());
    }

    public static double rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(new File("/proc/" + pid + "/status").toPath())) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // not on Linux
        }
        return Double.NaN;
    }

    /** Everything the process wrote to stdout and stderr so far. */
    public String output() throws IOException {
        return Files.readString(log);
    }

    /** Stops the process as an orchestrator does (SIGTERM) and returns its exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    /** Ends the process at once (SIGKILL), as a crash or an evicted pod would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
