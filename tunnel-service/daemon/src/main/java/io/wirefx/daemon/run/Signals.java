package io.wirefx.daemon.run;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * Installs handlers for POSIX signals through {@code sun.misc.Signal} (module jdk.unsupported, exported for exactly
 * this use). Reached by reflection so that the build does not warn about an internal API and so that a JDK without it
 * degrades to the shutdown hook instead of failing to link.
 */
public final class Signals {
    private Signals() {
    }

    /**
     * Replaces the JVM's handler of {@code name} ({@code "TERM"}, {@code "INT"}, {@code "HUP"}): {@code handler}
     * receives the signal name and the JVM no longer exits on it.
     *
     * @throws UnsupportedOperationException if signal handling is not available
     */
    public static void handle(String name, Consumer<String> handler) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> ctor = signalClass.getConstructor(String.class);
            Object signal = ctor.newInstance(name);
            Method getName = signalClass.getMethod("getName");
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[]{handlerClass},
                    (p, method, args) -> {
                        if (method.getName().equals("handle") && args != null && args.length == 1) {
                            handler.accept((String) getName.invoke(args[0]));
                            return null;
                        }
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(p);
                            case "equals" -> p == args[0];
                            case "toString" -> "SignalHandler[" + name + "]";
                            default -> null;
                        };
                    });
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, proxy);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            throw new UnsupportedOperationException("cannot handle SIG" + name + ": " + cause, cause);
        }
    }
}
