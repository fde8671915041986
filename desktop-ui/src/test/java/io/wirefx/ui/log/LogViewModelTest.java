package io.wirefx.ui.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wirefx.ipc.Event;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.LogLevel;
import io.wirefx.ipc.Role;
import io.wirefx.ui.FakeService;
import io.wirefx.ui.service.ConnectionState;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LogViewModelTest {
    private final FakeService service = new FakeService();

    private static LogEntry entry(long seq) {
        return new LogEntry(seq, 1_764_099_905_123L + seq * 1000, LogLevel.INFO, seq % 2 == 0 ? "wg0" : null,
                "line " + seq);
    }

    private static List<Long> seqs(LogViewModel vm) {
        return vm.lines().stream().map(LogEntry::seq).toList();
    }

    @Test
    void loadsTheTailThenFollowsEvents() {
        service.log.addAll(List.of(entry(1), entry(2), entry(3)));
        LogViewModel vm = new LogViewModel(service, Runnable::run, ZoneOffset.UTC);
        assertEquals(List.of(1L, 2L, 3L), seqs(vm));
        service.emit(new Event.LogLine(entry(4)));
        service.emit(new Event.LogLine(entry(3))); // duplicate of a tail line
        assertEquals(List.of(1L, 2L, 3L, 4L), seqs(vm));
    }

    @Test
    void reconnectMergesWithoutDuplicates() {
        service.log.addAll(List.of(entry(1), entry(2)));
        LogViewModel vm = new LogViewModel(service, Runnable::run, ZoneOffset.UTC);
        service.log.addAll(List.of(entry(3), entry(4)));
        service.emit(new Event.LogLine(entry(4)));
        service.setConnection(ConnectionState.connected(Path.of("/s"), Role.ADMIN));
        assertEquals(List.of(1L, 2L, 3L, 4L), seqs(vm));
    }

    @Test
    void keepsAtMostMaxLines() {
        LogViewModel vm = new LogViewModel(service, Runnable::run, ZoneOffset.UTC);
        vm.append(LongStream.rangeClosed(1, LogViewModel.MAX_LINES + 5).mapToObj(LogViewModelTest::entry).toList());
        assertEquals(LogViewModel.MAX_LINES, vm.lines().size());
        assertEquals(6L, vm.lines().getFirst().seq());
    }

    @Test
    void formatsLinesForCopyAndSave() {
        LogViewModel vm = new LogViewModel(service, Runnable::run, ZoneOffset.UTC);
        assertEquals("2025-11-25 19:45:07.123  INFO   [wg0] line 2", vm.format(entry(2)));
        assertEquals("2025-11-25 19:45:06.123  INFO   line 1\n2025-11-25 19:45:07.123  INFO   [wg0] line 2\n",
                vm.asText(List.of(entry(1), entry(2))));
        LogEntry warn = new LogEntry(9, 0, LogLevel.ERROR, null, "boom");
        assertEquals("1970-01-01 00:00:00.000  ERROR  boom", vm.format(warn));
    }
}
