package dev.beckon.lambda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import dev.beckon.lambda.runtime.JavaRuntimeStandIn;
import dev.beckon.redis.EmbeddedRedisServer;
import dev.beckon.support.ServiceProcess;
import dev.beckon.support.Tokens;
import io.quarkus.amazon.lambda.runtime.MockEventServer;
import io.quarkus.amazon.lambda.runtime.MockHttpEventServer;

/**
 * Cold start of the Lambda package: {@code ./mvnw -Plambda,bench verify -Dbench.main=dev.beckon.lambda.LambdaColdStart}.
 * Unpacks target/function.zip, starts Quarkus' mock Lambda event server (the one the Lambda tests
 * use) as Lambda's runtime API, launches the unpacked function under {@link JavaRuntimeStandIn}
 * (what Lambda's managed Java runtime does with the SAM template's handler), and times launch →
 * first answered HTTP call ({@code POST /listInvitations} through the mock server, which hands it
 * to the function as an API Gateway HTTP API event). Median of several runs, each with a new
 * process and a new event server. {@code -Dbench.jvm-options="..."} adds JVM options (Lambda's
 * Java runtime, for one, runs with -XX:TieredStopAtLevel=1).
 */
public final class LambdaColdStart {

    private static final int RUNS = Integer.getInteger("bench.runs", 5);
    /** The handler of deploy/lambda/template.yaml. */
    private static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler";

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Path function = unzip(Path.of("target/function.zip"));
        EmbeddedRedisServer redis = new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start();
        try {
            List<String> jvmOptions = new ArrayList<>();
            String extra = System.getProperty("bench.jvm-options", "").trim();
            if (!extra.isEmpty()) {
                jvmOptions.addAll(List.of(extra.split("\\s+")));
            }
            measure(function, jvmOptions, redis);
        } finally {
            redis.stop();
        }
    }

    private static void measure(Path function, List<String> jvmOptions, EmbeddedRedisServer redis) throws Exception {
        // the stand-in of Lambda's Java runtime, alone in a folder of its own beside the function
        Path runtime = Files.createTempDirectory("beckon-runtime");
        Path standIn = Path.of("target/test-classes").resolve(JavaRuntimeStandIn.class.getPackageName().replace('.', '/'));
        Path into = Files.createDirectories(runtime.resolve(JavaRuntimeStandIn.class.getPackageName().replace('.', '/')));
        try (var classes = Files.list(standIn)) {
            for (Path file : classes.toList()) {
                Files.copy(file, into.resolve(file.getFileName().toString()));
            }
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, function.toString(), function.resolve("lib") + File.separator + "*",
                runtime.toString()), JavaRuntimeStandIn.class.getName(), HANDLER));

        String token = Tokens.user("coldstart");
        HttpClient http = HttpClient.newHttpClient();
        List<Long> firstCall = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            MockEventServer events = new MockHttpEventServer();
            events.start(0);
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(new File("target/lambda-cold-start.log"));
                builder.environment().putAll(ServiceProcess.productionSettings(redis.uri()));
                builder.environment().put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + events.getPort() + MockEventServer.BASE_PATH);
                HttpRequest call = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + events.getPort() + "/listInvitations"))
                        .timeout(Duration.ofMinutes(2))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"direction\":\"incoming\"}")).build();
                long begin = System.nanoTime();
                Process process = builder.start();
                // the mock server holds the call until the function polls for its first event and answers it
                HttpResponse<String> answer = http.send(call, HttpResponse.BodyHandlers.ofString());
                long millis = (System.nanoTime() - begin) / 1_000_000;
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("first call answered " + answer.statusCode() + ": " + answer.body());
                }
                firstCall.add(millis);
                rss.add(ServiceProcess.rssMiB(process.pid()));
                process.destroy();
                process.waitFor();
            } finally {
                events.close();
            }
        }
        Collections.sort(firstCall);
        Collections.sort(rss);
        System.out.printf("Lambda JVM package (target/function.zip%s) through the mock event server: launch → first answered call "
                + "%d ms (median of %d; %d–%d), RSS after it %.0f MiB%n",
                jvmOptions.isEmpty() ? "" : ", " + String.join(" ", jvmOptions),
                firstCall.get(RUNS / 2), RUNS, firstCall.get(0), firstCall.get(RUNS - 1), rss.get(RUNS / 2));
    }

    /** target/function.zip unpacked, as Lambda does before it starts the function. */
    private static Path unzip(Path zip) throws IOException {
        Path into = Files.createTempDirectory("beckon-function");
        into.toFile().deleteOnExit();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the archive: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return into;
    }
}
