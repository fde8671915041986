import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prints "benchmark ops/s [Gbit/s]" from a JMH JSON result file, without a JSON library. */
public class JmhSummary {
    public static void main(String[] args) throws Exception {
        String json = Files.readString(Path.of(args[0]));
        Matcher m = Pattern.compile("\"benchmark\"\\s*:\\s*\"([^\"]+)\".*?\"primaryMetric\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*([0-9.Ee+-]+)\\s*,\\s*\"scoreError\"\\s*:\\s*([0-9.Ee+NaN-]+)", Pattern.DOTALL).matcher(json);
        while (m.find()) {
            String name = m.group(1).replaceFirst("^io\\.wirefx\\.bench\\.", "");
            double ops = Double.parseDouble(m.group(2));
            String extra = name.startsWith("TransportBenchmark") ? String.format("  = %.2f Gbit/s payload", ops * 1420 * 8 / 1e9) : "";
            System.out.printf("%-50s %,14.0f ops/s ± %s%s%n", name, ops, m.group(3), extra);
        }
    }
}
