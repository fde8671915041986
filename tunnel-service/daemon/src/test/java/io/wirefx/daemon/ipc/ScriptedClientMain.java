package io.wirefx.daemon.ipc;

import io.wirefx.daemon.store.TestConfigs;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.EventKind;
import io.wirefx.ipc.IpcClient;
import io.wirefx.ipc.IpcException;
import io.wirefx.ipc.IpcJson;
import io.wirefx.ipc.Message;
import io.wirefx.ipc.Response;
import io.wirefx.ipc.TunnelState;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs in a child process under another uid: connects to {@code args[0]} and executes the commands that follow
 * ({@code list}, {@code get N}, {@code start N}, {@code stop N}, {@code stats}, {@code logtail K}, {@code subscribe},
 * {@code await-state N STATE}, {@code await-stats}, {@code create N V}, {@code update N V}, {@code rename A B},
 * {@code delete N}, {@code export}, {@code hold K}: K more connections, each printing {@code HOLD i CONNECTED} or
 * {@code HOLD i ERR CODE message}, kept open until the end; {@code wait-stdin}: wait for stdin to close), printing every answer and event as JSON: {@code CONNECTED ROLE},
 * {@code RESP cmd JSON}, {@code EVENT JSON}, {@code ERR cmd CODE message}. Exit code 0 unless it could not run.
 */
public final class ScriptedClientMain {
    private ScriptedClientMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        IpcClient client;
        try {
            client = IpcClient.connect(Path.of(args[0]), "scripted", e -> {
                synchronized (out) {
                    out.println("EVENT " + json(e));
                }
                events.add(e);
            }, Duration.ofSeconds(30));
        } catch (IpcException e) {
            out.println("ERR connect " + e.code() + " " + e.getMessage());
            return;
        } catch (java.io.IOException e) {
            out.println("ERR connect IO " + e.getMessage());
            return;
        }
        out.println("CONNECTED " + client.role());
        java.util.List<IpcClient> held = new java.util.ArrayList<>();
        String[] cmds = Arrays.copyOfRange(args, 1, args.length);
        for (int i = 0; i < cmds.length; i++) {
            String cmd = cmds[i];
            try {
                Object result = switch (cmd) {
                    case "list" -> new Response.TunnelList(0, client.list());
                    case "get" -> client.get(cmds[++i]);
                    case "start" -> {
                        client.start(cmds[++i]);
                        yield "ok";
                    }
                    case "stop" -> {
                        client.stop(cmds[++i]);
                        yield "ok";
                    }
                    case "stats" -> new Response.Stats(0, client.stats(null));
                    case "logtail" -> client.logTail(Integer.parseInt(cmds[++i]));
                    case "subscribe" -> {
                        client.subscribe(EnumSet.allOf(EventKind.class));
                        yield "ok";
                    }
                    case "await-state" -> {
                        String name = cmds[++i];
                        TunnelState state = TunnelState.valueOf(cmds[++i]);
                        while (true) {
                            Event e = events.poll(30, TimeUnit.SECONDS);
                            if (e == null) {
                                yield "timeout";
                            }
                            if (e instanceof Event.TunnelStateChanged s && s.name().equals(name)
                                    && s.state() == state) {
                                yield "ok";
                            }
                        }
                    }
                    case "await-stats" -> {
                        while (true) {
                            Event e = events.poll(30, TimeUnit.SECONDS);
                            if (e == null) {
                                yield "timeout";
                            }
                            if (e instanceof Event.StatsUpdate) {
                                yield "ok";
                            }
                        }
                    }
                    case "create" -> {
                        String name = cmds[++i];
                        client.create(name, TestConfigs.text(name, Long.parseLong(cmds[++i])));
                        yield "ok";
                    }
                    case "update" -> {
                        String name = cmds[++i];
                        client.update(name, TestConfigs.text(name, Long.parseLong(cmds[++i])));
                        yield "ok";
                    }
                    case "rename" -> {
                        client.rename(cmds[++i], cmds[++i]);
                        yield "ok";
                    }
                    case "delete" -> {
                        client.delete(cmds[++i]);
                        yield "ok";
                    }
                    case "export" -> new Response.ExportResult(0,
                            java.util.Base64.getEncoder().encodeToString(client.exportZip()), 0);
                    case "hold" -> {
                        int k = Integer.parseInt(cmds[++i]);
                        for (int n = 0; n < k; n++) {
                            try {
                                held.add(IpcClient.connect(Path.of(args[0]), "held", null, Duration.ofSeconds(30)));
                                out.println("HOLD " + n + " CONNECTED");
                            } catch (IpcException e) {
                                out.println("HOLD " + n + " ERR " + e.code() + " " + e.getMessage());
                            }
                        }
                        yield "ok";
                    }
                    case "wait-stdin" -> {
                        System.in.readAllBytes();
                        yield "ok";
                    }
                    default -> throw new IllegalArgumentException("unknown command " + cmd);
                };
                synchronized (out) {
                    out.println("RESP " + cmd + " " + (result instanceof Message m ? json(m) : result));
                }
            } catch (IpcException e) {
                synchronized (out) {
                    out.println("ERR " + cmd + " " + e.code() + " " + e.getMessage());
                }
            }
        }
        held.forEach(IpcClient::close);
        client.close();
    }

    private static String json(Message m) {
        return new String(IpcJson.encode(m), StandardCharsets.UTF_8);
    }
}
