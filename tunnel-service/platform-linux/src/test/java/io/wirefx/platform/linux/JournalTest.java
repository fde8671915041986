package io.wirefx.platform.linux;

import io.wirefx.platform.linux.JournalEntry.DnsMethod;
import io.wirefx.platform.linux.JournalEntry.RuleKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalTest {
    @TempDir
    Path dir;

    static final List<JournalEntry> ALL = List.of(
            new JournalEntry.Link("wg0"),
            new JournalEntry.Address("wg0", "10.0.0.2/24"),
            new JournalEntry.Address("wg0", "fd00::2/64"),
            new JournalEntry.Route("wg0", "10.9.0.0/16", null),
            new JournalEntry.Route("wg0", "::/0", "51820"),
            new JournalEntry.Route("wg0", "10.8.0.0/16", "my_table"),
            new JournalEntry.Rule(false, RuleKind.NOT_FWMARK, 51820),
            new JournalEntry.Rule(true, RuleKind.SUPPRESS_MAIN, 0),
            new JournalEntry.NftTable("ip6", "wirefx-wg0"),
            new JournalEntry.Dns(DnsMethod.RESOLVCONF, "tun.wg0"),
            new JournalEntry.Dns(DnsMethod.RESOLVECTL, "wg0"),
            new JournalEntry.NftTable("inet", "wirefx_ks_wg0"));

    @Test
    void entriesRoundTripThroughText() {
        for (JournalEntry e : ALL) {
            assertEquals(e, JournalEntry.decode(e.encode()), e.encode());
        }
        assertEquals("rule 4 not-fwmark 51820", ALL.get(6).encode());
        assertEquals("route wg0 10.9.0.0/16 -", ALL.get(3).encode());
    }

    @Test
    void ruleListingMatchesIpNumericOutput() {
        assertEquals("not from all fwmark 0xca6c lookup 51820",
                new JournalEntry.Rule(false, RuleKind.NOT_FWMARK, 51820).listing());
        assertEquals("from all lookup 254 suppress_prefixlength 0",
                new JournalEntry.Rule(true, RuleKind.SUPPRESS_MAIN, 0).listing());
        assertEquals(List.of("not", "fwmark", "51820", "table", "51820"),
                new JournalEntry.Rule(false, RuleKind.NOT_FWMARK, 51820).selector());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bogus wg0", "link", "link a b", "link wg0;rm", "addr wg0", "route wg0 1.2.3.0/24",
            "rule 5 suppress-main", "rule 4 not-fwmark", "rule 4 not-fwmark x", "rule 4 not-fwmark 0",
            "rule 4 suppress-main 3", "nft bridge t", "dns nsswitch wg0", "link $(reboot)"})
    void malformedEntriesAreRejected(String line) {
        assertThrows(IllegalArgumentException.class, () -> JournalEntry.decode(line));
    }

    @Test
    void fileRoundTripAndForget() throws IOException {
        Path f = dir.resolve("sub/wg0.state");
        Journal j = Journal.create(f, new Journal.Header(77, "net:[4026531840]", "wg0"));
        for (JournalEntry e : ALL) {
            j.record(e);
        }
        Journal back = Journal.load(f);
        assertEquals(ALL, back.entries());
        assertEquals(new Journal.Header(77, "net:[4026531840]", "wg0"), back.header());
        j.forget(ALL.get(4));
        j.forget(ALL.get(4)); // not there any more: no-op
        assertEquals(ALL.size() - 1, Journal.load(f).entries().size());
        assertFalse(Journal.load(f).entries().contains(ALL.get(4)));
        assertThrows(FileAlreadyExistsException.class,
                () -> Journal.create(f, new Journal.Header(78, "net:[1]", "wg0")));
        j.delete();
        assertFalse(Files.exists(f));
        assertFalse(Files.exists(f.resolveSibling("wg0.state.tmp")));
    }

    @Test
    void malformedFileNamesTheLine() throws IOException {
        Path f = dir.resolve("wg0.state");
        Files.writeString(f, Journal.MAGIC + "\nversion 1\npid 1\nnetns net:[1]\niface wg0\nentry link wg0\n"
                + "entry teleport wg0\n");
        IOException e = assertThrows(IOException.class, () -> Journal.load(f));
        assertTrue(e.getMessage().contains(":7: malformed"), e.getMessage());
        Files.writeString(f, "version 1\npid 1\n");
        assertTrue(assertThrows(IOException.class, () -> Journal.load(f)).getMessage().contains("incomplete"));
        Files.writeString(f, "version 2\npid 1\nnetns net:[1]\niface wg0\n");
        assertThrows(IOException.class, () -> Journal.load(f));
    }
}
