package io.wirefx.core.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing of the wg-quick parser (Jazzer; docs/security.md): any text either parses or fails with
 * {@link BadConfigException}; what parses writes back to text that parses to an equal config, in both formats.
 */
class ConfigCoverageFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void anyTextParsesOrIsRefusedWithALineNumber(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Config c;
        try {
            c = Config.parse(text);
        } catch (BadConfigException refused) {
            return;
        }
        try {
            assertEquals(c, Config.parse(c.toWgQuickString()), "wg-quick round trip");
        } catch (BadConfigException e) {
            throw new AssertionError("a parsed config writes text it refuses: " + e.getMessage(), e);
        }
    }
}
