package dev.beckon.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HashMap;
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

    /** The files read so far: each script and piece is read once, however many scripts include it. */
    private final Map<String, String> texts = new HashMap<>();

    /** A script as Redis runs it by EVAL: its pieces, each once and before what uses it, then the script. */
    String script(String name) {
        StringBuilder pieces = new StringBuilder();
        Set<String> included = new HashSet<>();
        String own = own(name, pieces, included);
        return pieces + (included.contains(BASE) ? BEGIN : "") + own;
    }

    /**
     * The state steps among {@code scripts} (those that include lib/base, directly or through other
     * pieces) as one function library. Its name carries a digest of its text, so instances of
     * different versions sharing a Redis each call their own functions.
     */
    Library library(List<Script> scripts) {
        StringBuilder body = new StringBuilder();
        Set<String> included = new HashSet<>();
        Map<Script, String> owns = new EnumMap<>(Script.class);
        for (Script script : scripts) {
            StringBuilder pieces = new StringBuilder();
            Set<String> its = new HashSet<>();
            String own = own(script.file, pieces, its);
            if (its.contains(BASE)) {
                // the pieces no earlier step brought in, in the order this one needs them
                own(script.file, body, included);
                owns.put(script, own);
            }
        }
        String name = "beckon_" + sha1(body + String.join("\n", owns.values())).substring(0, 12);
        Map<Script, String> functions = new EnumMap<>(Script.class);
        owns.forEach((script, own) -> {
            String function = name + "_" + script.file;
            functions.put(script, function);
            body.append("redis.register_function('").append(function).append("', function(KEYS, ARGV)\n")
                    .append(BEGIN).append(own).append("end)\n");
        });
        return new Library("#!lua name=" + name + "\n" + body, functions);
    }

    /** A function library: its text for FUNCTION LOAD, and each step's function. */
    record Library(String source, Map<Script, String> functions) {
    }

    /**
     * The file's own lines; each piece it includes that is not in {@code included} yet goes to
     * {@code pieces} first, itself expanded the same way.
     */
    private String own(String name, StringBuilder pieces, Set<String> included) {
        StringBuilder own = new StringBuilder();
        for (String line : read(name).split("\n", -1)) {
            if (!line.startsWith(INCLUDE)) {
                own.append(line).append('\n');
            } else {
                String piece = line.substring(INCLUDE.length()).trim();
                if (included.add(piece)) {
                    pieces.append(own(piece, pieces, included));
                }
            }
        }
        return own.toString();
    }

    private String read(String name) {
        return texts.computeIfAbsent(name, ScriptSources::readResource);
    }

    private static String readResource(String name) {
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
