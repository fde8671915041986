package io.wirefx.daemon.cli;

import io.wirefx.daemon.run.RunCommand;

import io.wirefx.core.config.BadConfigException;
import io.wirefx.core.config.Config;
import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyFormatException;
import io.wirefx.core.crypto.KeyPair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * {@code wirefx}: the command line. Exit codes: 0 success, 1 the input was bad (a config error, an invalid key),
 * 2 usage error, 3 cannot start / service unreachable or refused, 4 operation failed. The service commands are in
 * {@link io.wirefx.daemon.client.ClientCli}.
 */
public final class Main {
    static final int OK = 0;
    static final int BAD_INPUT = 1;
    static final int USAGE = 2;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    Main(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code = new Main(System.in, System.out, System.err).run(args);
        System.out.flush();
        System.exit(code);
    }

    int run(String[] args) {
        if (args.length == 0) {
            usage(err);
            return USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "genkey" -> noArgs(rest) ? genkey() : USAGE;
            case "genpsk" -> noArgs(rest) ? genkey() : USAGE;
            case "pubkey" -> noArgs(rest) ? pubkey() : USAGE;
            case "check" -> check(rest);
            case "run" -> runTunnel(rest);
            case "list", "up", "down", "import", "show", "log", "export" ->
                    new io.wirefx.daemon.client.ClientCli(out, err, System.getenv()).run(args[0], Arrays.asList(rest));
            case "help", "--help", "-h" -> {
                usage(out);
                yield OK;
            }
            default -> {
                err.println("wirefx: unknown command '" + args[0] + "'");
                usage(err);
                yield USAGE;
            }
        };
    }

    private boolean noArgs(String[] rest) {
        if (rest.length != 0) {
            err.println("wirefx: this command takes no arguments");
            return false;
        }
        return true;
    }

    private static void usage(PrintStream s) {
        s.println("""
                Usage: wirefx <command> [arguments]

                  genkey            print a new private key (Base64)
                  genpsk            print a new preshared key (Base64)
                  pubkey            read a private key on stdin, print its public key
                  check FILE.conf…  parse wg-quick configuration files and report errors with line numbers
                  run FILE.conf     (root) bring the tunnel up like wg-quick up, stay in the foreground, and
                                    take it down on SIGTERM/SIGINT; the tunnel is named after the file
                                    (wg0.conf -> wg0); WIREFX_STATE_DIR (default /run/wirefx) holds the state
                                    journal that lets the next run clean up after a killed one
                  run --dry-run [--platform linux|macos|windows] [--interface NAME] FILE.conf
                                    print what bringing the tunnel up would change, one command per line,
                                    reading this system's state; changes nothing
                """ + io.wirefx.daemon.client.ClientCli.usage() + """


                Exit codes: 0 success (run: stopped and torn down cleanly), 1 bad input (configuration, key,
                file name, no such tunnel), 2 usage error; run: 3 cannot start (not root, interface exists,
                already running, tool missing; nothing changed), 4 bring-up failed (undone) or teardown
                incomplete; service commands: 3 the service is unreachable or refused the caller (not root and
                not in the wirefx or wirefx-admin group), 4 the operation failed (bring-up failed, overlap,
                wrong state).""");
    }

    private int genkey() {
        // genkey and genpsk are the same: 32 random bytes; a private key is clamped when used, as wg does.
        KeyPair kp = KeyPair.generate(new SecureRandom());
        out.println(kp.privateKey().toBase64());
        kp.privateKey().close();
        return OK;
    }

    private int pubkey() {
        String text;
        try {
            text = readLimited(in, 1024).trim();
        } catch (IOException e) {
            err.println("wirefx: cannot read stdin: " + e.getMessage());
            return BAD_INPUT;
        }
        try (Key priv = Key.fromBase64(text)) {
            out.println(KeyPair.fromPrivate(priv).publicKey().toBase64());
            return OK;
        } catch (KeyFormatException e) {
            err.println("wirefx: invalid private key on stdin: " + e.getMessage());
            return BAD_INPUT;
        }
    }

    private int check(String[] files) {
        if (files.length == 0) {
            err.println("wirefx: check needs at least one file");
            return USAGE;
        }
        int code = OK;
        for (String f : files) {
            Path path = Path.of(f);
            try {
                Config c = Config.parse(Files.readString(path, StandardCharsets.UTF_8));
                out.println(f + ": OK (" + c.peers().size() + (c.peers().size() == 1 ? " peer)" : " peers)"));
            } catch (BadConfigException e) {
                err.println(f + ":" + e.lineNumber() + ": " + e.getMessage());
                code = BAD_INPUT;
            } catch (NoSuchFileException e) {
                err.println(f + ": no such file");
                code = BAD_INPUT;
            } catch (IOException e) {
                err.println(f + ": cannot read: " + e.getMessage());
                code = BAD_INPUT;
            }
        }
        return code;
    }

    private int runTunnel(String[] rest) {
        boolean dryRun = false;
        String platform = null;
        String iface = null;
        String file = null;
        for (int i = 0; i < rest.length; i++) {
            String a = rest[i];
            switch (a) {
                case "--dry-run" -> dryRun = true;
                case "--platform", "--interface" -> {
                    if (i + 1 >= rest.length) {
                        err.println("wirefx: run: " + a + " needs a value");
                        return USAGE;
                    }
                    if (a.equals("--platform")) {
                        platform = rest[++i];
                    } else {
                        iface = rest[++i];
                    }
                }
                default -> {
                    if (a.startsWith("-") || file != null) {
                        err.println("wirefx: run: unexpected `" + a + "'; usage: wirefx run [--dry-run [--platform "
                                + "linux|macos|windows] [--interface NAME]] FILE.conf");
                        return USAGE;
                    }
                    file = a;
                }
            }
        }
        if (file == null) {
            err.println("wirefx: run takes the configuration file (e.g. wg0.conf)");
            return USAGE;
        }
        if (!dryRun && (platform != null || iface != null)) {
            err.println("wirefx: run: --platform and --interface go with --dry-run");
            return USAGE;
        }
        return dryRun ? RunCommand.dryRun(file, platform, iface, out, err) : RunCommand.run(file, err);
    }

    private static String readLimited(InputStream in, int max) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[256];
        int n;
        while ((n = in.read(chunk)) > 0) {
            buf.write(chunk, 0, n);
            if (buf.size() > max) {
                break;
            }
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }
}
