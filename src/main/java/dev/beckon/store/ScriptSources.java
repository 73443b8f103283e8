package dev.beckon.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Lua text Redis gets, made from {@code src/main/resources/scripts}: each script with the
 * pieces of {@code scripts/lib} it names ({@code --- @include lib/<piece>}), and the state steps
 * as one Redis 7 function library.
 * <p>
 * A state step (a script that includes {@code lib/base}) starts with {@code begin(KEYS, ARGV)},
 * which sets the step's input and clock and starts the pieces' per-step state afresh. As a
 * script, that call comes after the pieces, which Redis then defines anew on every call; in the
 * library the pieces are defined once, when the library loads, and each step is a function that
 * calls {@code begin} and runs the step: the same text both ways, one cost less per call.
 */
final class ScriptSources {

    private static final String INCLUDE = "--- @include ";
    private static final String BASE = "lib/base";
    private static final String BEGIN = "begin(KEYS, ARGV)\n";

    private ScriptSources() {
    }

    /** A script as Redis runs it by EVAL: its pieces, each once and before what uses it, then the script. */
    static String script(String name) {
        StringBuilder pieces = new StringBuilder();
        Set<String> included = new HashSet<>();
        String own = own(name, pieces, included);
        return pieces + (included.contains(BASE) ? BEGIN : "") + own;
    }

    /**
     * The state steps among {@code scripts} as one function library. Its name carries a digest of
     * its text, so instances of different versions sharing a Redis each call their own functions.
     */
    static Library library(List<Script> scripts) {
        StringBuilder body = new StringBuilder();
        Set<String> included = new HashSet<>();
        Map<Script, String> owns = new EnumMap<>(Script.class);
        for (Script script : scripts) {
            if (!isStep(script.file)) {
                continue;
            }
            StringBuilder pieces = new StringBuilder();
            String own = own(script.file, pieces, included);
            body.append(pieces);
            owns.put(script, own);
        }
        String version = sha1(body + String.join("\n", owns.values())).substring(0, 12);
        String name = "beckon_" + version;
        Map<Script, String> functions = new EnumMap<>(Script.class);
        owns.forEach((script, own) -> {
            String function = name + "_" + script.file;
            functions.put(script, function);
            body.append("redis.register_function('").append(function).append("', function(KEYS, ARGV)\n")
                    .append(BEGIN).append(own).append("end)\n");
        });
        return new Library(name, "#!lua name=" + name + "\n" + body, functions);
    }

    /** Whether a script is a state step: whether it includes lib/base, directly or through other pieces. */
    static boolean isStep(String name) {
        Set<String> included = new HashSet<>();
        own(name, new StringBuilder(), included);
        return included.contains(BASE);
    }

    /** A function library: its name, its text for FUNCTION LOAD, and each step's function. */
    record Library(String name, String source, Map<Script, String> functions) {
    }

    /** The script's own lines; the pieces it includes (not yet in {@code included}) go to {@code pieces}. */
    private static String own(String name, StringBuilder pieces, Set<String> included) {
        StringBuilder own = new StringBuilder();
        for (String line : read(name).split("\n", -1)) {
            if (line.startsWith(INCLUDE)) {
                include(line.substring(INCLUDE.length()).trim(), pieces, included);
            } else {
                own.append(line).append('\n');
            }
        }
        return own.toString();
    }

    private static void include(String name, StringBuilder source, Set<String> included) {
        if (!included.add(name)) {
            return;
        }
        for (String line : read(name).split("\n", -1)) {
            if (line.startsWith(INCLUDE)) {
                include(line.substring(INCLUDE.length()).trim(), source, included);
            } else {
                source.append(line).append('\n');
            }
        }
    }

    private static String read(String name) {
        String path = "scripts/" + name + ".lua";
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
