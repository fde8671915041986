package io.wirefx.ui;

import io.wirefx.ui.format.Formats;
import io.wirefx.ui.service.ServiceClient;
import java.time.ZoneId;
import java.util.Random;
import java.util.ResourceBundle;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What the views share: the service, the UI and I/O executors, strings, the clock, the key generator's randomness
 * and the file dialogs.
 *
 * @param clock wall clock in epoch milliseconds
 */
public record UiContext(ServiceClient service, Executor ui, Executor io, ResourceBundle bundle, Formats formats,
                        LongSupplier clock, ZoneId zone, Random random, FileDialogs fileDialogs) {
}
