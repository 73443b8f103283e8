package dev.beckon.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import redis.embedded.core.ExecutableProvider;

/**
 * A real redis-server child process on 127.0.0.1, for the tests: Debian's
 * {@code redis-server} when it is on the PATH (or the binary named by {@code BECKON_REDIS_SERVER}),
 * otherwise the Redis 6.2 binary shipped in {@code com.github.codemonstur:embedded-redis}
 * ({@code BECKON_REDIS_SERVER=embedded} picks that one even when another is installed).
 * Nothing is persisted to disk. Started with {@code --requirepass}, it authenticates its own commands.
 */
public final class EmbeddedRedisServer {

    private static File binary;

    private final int port;
    private final List<String> extraArgs;
    private final Path workDir;
    private final String password;
    private Process process;

    public EmbeddedRedisServer(int port, String... extraArgs) {
        this.port = port;
        this.extraArgs = List.of(extraArgs);
        int i = this.extraArgs.indexOf("--requirepass");
        this.password = i >= 0 ? this.extraArgs.get(i + 1) : null;
        try {
            this.workDir = Files.createTempDirectory("beckon-redis-" + port + "-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server and waits until it answers PING. */
    public synchronized EmbeddedRedisServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        List<String> command = new ArrayList<>(List.of(binary().getAbsolutePath(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", workDir.toString(), "--daemonize", "no", "--loglevel", "warning"));
        command.addAll(extraArgs);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + command.get(0), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!answersPing()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not start on port " + port + "; see " + workDir.resolve("redis.log"));
            }
            sleep(20);
        }
        return this;
    }

    /** Stops the server at once (SIGKILL), as a crash would. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor();
        }
    }

    /**
     * Shuts the server down the way an operator restarts one that persists (its data saved to
     * disk), waits {@code downFor}, and starts it again on the same port with that data.
     */
    public void restartKeepingData(Duration downFor) {
        try {
            call("SHUTDOWN", "SAVE");
        } catch (IllegalStateException expected) {
            // the connection drops as the server exits
        }
        synchronized (this) {
            waitFor();
        }
        sleep(downFor.toMillis());
        start();
    }

    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            waitFor();
        }
    }

    /** The server's process id, or -1 when it is not running. */
    public long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The version string the server reports, e.g. "6.2.11". */
    public String version() {
        for (String line : ((String) call("INFO", "server")).split("\r\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length());
            }
        }
        return "unknown";
    }

    /**
     * Sends one command on a fresh connection and returns the reply: a String (simple or bulk),
     * a Long, a List of replies, or null. An error reply is thrown as IllegalStateException.
     */
    public Object call(String... args) {
        Object reply = callAll(List.<String[]>of(args)).get(0);
        if (reply instanceof IllegalStateException error) {
            throw error;
        }
        return reply;
    }

    /** Sends many commands pipelined on one connection; returns their replies in order (errors as exceptions in place). */
    public List<Object> callAll(List<String[]> commands) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            var out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            var in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            if (password != null) {
                write(out, new String[] { "AUTH", password });
                out.flush();
                read(in);
            }
            List<Object> replies = new ArrayList<>(commands.size());
            int sent = 0;
            while (replies.size() < commands.size()) {
                // at most a few thousand in flight, so neither side's buffers fill up
                while (sent < commands.size() && sent - replies.size() < 2000) {
                    write(out, commands.get(sent++));
                }
                out.flush();
                try {
                    replies.add(read(in));
                } catch (IllegalStateException error) {
                    replies.add(error);
                }
            }
            return replies;
        } catch (IOException e) {
            throw new IllegalStateException("Redis on port " + port + " did not answer: " + e.getMessage(), e);
        }
    }

    private static void write(OutputStream out, String[] command) throws IOException {
        out.write(("*" + command.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String arg : command) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static Object read(DataInputStream in) throws IOException {
        int type = in.read();
        String line = readLine(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                readLine(in);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("Unexpected reply type " + (char) type);
        }
    }

    private static String readLine(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("Connection closed");
            }
            line.append((char) c);
        }
        in.read();
        return line.toString();
    }

    private boolean answersPing() {
        try {
            return "PONG".equals(call("PING"));
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private void waitFor() {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static synchronized File binary() {
        if (binary == null) {
            binary = fromPath();
            if (binary == null) {
                try {
                    binary = ExecutableProvider.newJarResourceProvider().get();
                } catch (IOException e) {
                    throw new IllegalStateException("Cannot unpack the embedded redis-server", e);
                }
            }
        }
        return binary;
    }

    private static File fromPath() {
        String named = System.getenv("BECKON_REDIS_SERVER");
        if ("embedded".equals(named)) {
            return null;
        }
        if (named != null && new File(named).canExecute()) {
            return new File(named);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                File candidate = new File(dir, "redis-server");
                if (candidate.canExecute()) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
