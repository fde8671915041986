package io.wirefx.tun.windows;

import com.sun.jna.Structure;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks JNA structures against the real Windows headers: generates a C file with a {@code _Static_assert} for the
 * size of every structure and the offset of every field (values taken from the JNA instances, which use MSVC
 * alignment) and compiles it with mingw-w64's {@code x86_64-w64-mingw32-gcc -c}. It compiles only if every layout
 * agrees with the Windows x64 ABI as the headers declare it. Java field names are the C member names.
 *
 * <p>Shared with other modules through this module's test-jar.
 */
public final class WindowsLayoutCheck {

    /** The cross compiler (Debian package {@code gcc-mingw-w64-x86-64}). */
    public static final String COMPILER = "x86_64-w64-mingw32-gcc";

    private final List<String> includes = new ArrayList<>();
    private final Map<String, Structure> structures = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> renames = new LinkedHashMap<>();
    private final Map<String, Integer> scalars = new LinkedHashMap<>();
    private final List<String> prelude = new ArrayList<>();

    /** Headers to include, in order (e.g. {@code winsock2.h} before {@code netioapi.h}). */
    public WindowsLayoutCheck include(String... headers) {
        includes.addAll(List.of(headers));
        return this;
    }

    /** Extra C text after the includes (e.g. a declaration the headers lack). */
    public WindowsLayoutCheck declare(String c) {
        prelude.add(c);
        return this;
    }

    /** Checks {@code sizeof(cType)} and the offset of every field of {@code s}. */
    public WindowsLayoutCheck structure(String cType, Structure s) {
        structures.put(cType, s);
        return this;
    }

    /**
     * Like {@link #structure(String, Structure)}, for Java fields whose C member has another name (a member of an
     * anonymous union, say {@code Ipv4.sin_port}); a field mapped to {@code ""} is not checked on its own.
     */
    public WindowsLayoutCheck structure(String cType, Structure s, Map<String, String> cNames) {
        structures.put(cType, s);
        renames.put(cType, cNames);
        return this;
    }

    /** Checks {@code sizeof(cType) == size} for a type mapped as a Java scalar (e.g. NET_LUID as long). */
    public WindowsLayoutCheck scalar(String cType, int size) {
        scalars.put(cType, size);
        return this;
    }

    /** Why the check cannot run here, or empty if the compiler is present. */
    public static Optional<String> compilerMissing() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, COMPILER))) {
                return Optional.empty();
            }
        }
        return Optional.of(COMPILER + " not found on PATH (install gcc-mingw-w64-x86-64)");
    }

    /** The generated C source. */
    public String source() {
        StringBuilder c = new StringBuilder();
        c.append("#define WIN32_LEAN_AND_MEAN\n#define _WIN32_WINNT 0x0A00\n#define NTDDI_VERSION 0x0A000000\n");
        c.append("#include <stddef.h>\n");
        for (String h : includes) {
            c.append("#include <").append(h).append(">\n");
        }
        prelude.forEach(p -> c.append(p).append('\n'));
        scalars.forEach((type, size) -> c.append(assertLine("sizeof(" + type + ")", size, type + " size")));
        structures.forEach((type, s) -> {
            c.append(assertLine("sizeof(" + type + ")", s.size(), type + " size"));
            Map<String, String> names = renames.getOrDefault(type, Map.of());
            for (String field : fieldOrder(s)) {
                String cName = names.containsKey(field) ? names.get(field) : field;
                if (cName.isEmpty()) {
                    continue;
                }
                c.append(assertLine("offsetof(" + type + ", " + cName + ")", offset(s, field),
                        type + "." + field + " offset"));
            }
        });
        return c.toString();
    }

    private static String assertLine(String expr, int value, String what) {
        return "_Static_assert(" + expr + " == " + value + ", \"" + what + " is not " + value + "\");\n";
    }

    /** Compiles {@link #source()} in {@code dir}; fails the test with the compiler's messages if it does not build. */
    public void assertCompiles(Path dir) throws IOException, InterruptedException {
        Path src = dir.resolve("layout.c");
        Files.writeString(src, source(), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(COMPILER, "-c", "-std=c11", "-o", dir.resolve("layout.o").toString(),
                src.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(COMPILER + " timed out");
        }
        if (p.exitValue() != 0) {
            fail("layouts disagree with the Windows headers:\n" + out + "\n--- generated ---\n" + source());
        }
        assertEquals(0, p.exitValue());
    }

    /** The fields of {@code s} in declaration order (its {@link Structure.FieldOrder}). */
    public static List<String> fieldOrder(Structure s) {
        Structure.FieldOrder order = s.getClass().getAnnotation(Structure.FieldOrder.class);
        if (order == null) {
            throw new IllegalArgumentException(s.getClass() + " has no @FieldOrder");
        }
        return List.of(order.value());
    }

    /** The offset JNA computed for {@code field} (Structure.fieldOffset is protected). */
    public static int offset(Structure s, String field) {
        try {
            Method m = Structure.class.getDeclaredMethod("fieldOffset", String.class);
            m.setAccessible(true);
            return (int) m.invoke(s, field);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
