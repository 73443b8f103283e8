package dev.beckon.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The redis-server that dev mode runs when no Redis is configured: Debian's {@code redis-server}
 * when it is on the PATH (or the binary named by {@code BECKON_REDIS_SERVER}), otherwise the
 * Redis 6.2 binary of {@code com.github.codemonstur:embedded-redis}, a {@code provided}
 * dependency that dev mode and the tests have on their class path and the packaged application
 * does not. Nothing is persisted to disk.
 */
final class DevRedisServer {

    private DevRedisServer() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts redis-server on 127.0.0.1:{@code port} and waits until it answers PING. */
    static Process start(int port) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("beckon-redis-" + port + "-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> command = List.of(binary().getAbsolutePath(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", workDir.toString(), "--daemonize", "no", "--loglevel", "warning");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(workDir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + command.get(0), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!answersPing(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not start on port " + port + "; see " + workDir.resolve("redis.log"));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return process;
    }

    /** Whether a Redis on 127.0.0.1:{@code port} answers PING. */
    static boolean answersPing(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int read = 0;
            while (read < reply.length) {
                int n = in.read(reply, read, reply.length - read);
                if (n < 0) {
                    return false;
                }
                read += n;
            }
            return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    private static File binary() {
        String named = System.getenv("BECKON_REDIS_SERVER");
        if (named != null && !"embedded".equals(named) && new File(named).canExecute()) {
            return new File(named);
        }
        String path = System.getenv("PATH");
        if (!"embedded".equals(named) && path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                File candidate = new File(dir, "redis-server");
                if (candidate.canExecute()) {
                    return candidate;
                }
            }
        }
        try {
            return redis.embedded.core.ExecutableProvider.newJarResourceProvider().get();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot unpack the embedded redis-server", e);
        }
    }
}
