package io.wirefx.ui.fx;

import java.io.File;
import java.lang.reflect.Constructor;
import java.util.List;
import javafx.event.Event;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.PickResult;
import javafx.scene.input.TransferMode;

/**
 * Delivers a file drop to a node the way the platform does (DRAG_ENTERED, DRAG_OVER, then DRAG_DROPPED if
 * accepted, with a real {@link Dragboard} holding the files), for headless tests: Monocle has no drag source for
 * files from outside the application.
 */
final class Drops {
    private Drops() {
    }

    /** Returns true if the target accepted the drop and completed it. */
    static boolean dropFiles(Node target, List<File> files) throws Exception {
        Dragboard board = dragboard();
        ClipboardContent content = new ClipboardContent();
        content.putFiles(files);
        board.setContent(content);
        Point2D center = target.localToScene(target.getLayoutBounds().getCenterX(),
                target.getLayoutBounds().getCenterY());
        Point2D screen = target.localToScreen(target.getLayoutBounds().getCenterX(),
                target.getLayoutBounds().getCenterY());
        PickResult pick = new PickResult(target, center.getX(), center.getY());
        DragEvent over = new DragEvent(null, target, DragEvent.DRAG_OVER, board, center.getX(), center.getY(),
                screen.getX(), screen.getY(), TransferMode.COPY, null, null, pick);
        Event.fireEvent(target, new DragEvent(null, target, DragEvent.DRAG_ENTERED, board, center.getX(),
                center.getY(), screen.getX(), screen.getY(), TransferMode.COPY, null, null, pick));
        Event.fireEvent(target, over);
        if (!over.isAccepted()) {
            return false;
        }
        DragEvent drop = new DragEvent(null, target, DragEvent.DRAG_DROPPED, board, center.getX(), center.getY(),
                screen.getX(), screen.getY(), TransferMode.COPY, null, null, pick);
        Event.fireEvent(target, drop);
        Event.fireEvent(target, new DragEvent(null, target, DragEvent.DRAG_EXITED, board, center.getX(),
                center.getY(), screen.getX(), screen.getY(), TransferMode.COPY, null, null, pick));
        return drop.isDropCompleted();
    }

    /**
     * A drop-target dragboard like the one Scene builds for a drop from the platform: a clipboard peer that holds
     * the content and offers COPY (the toolkit's own local clipboard offers no transfer modes).
     */
    private static Dragboard dragboard() throws Exception {
        Class<?> tkClipboard = Class.forName("com.sun.javafx.tk.TKClipboard");
        java.util.Map<javafx.scene.input.DataFormat, Object> data = new java.util.HashMap<>();
        Object peer = java.lang.reflect.Proxy.newProxyInstance(Drops.class.getClassLoader(),
                new Class<?>[] {tkClipboard}, (proxy, method, args) -> switch (method.getName()) {
                    case "getContentTypes" -> java.util.Set.copyOf(data.keySet());
                    case "putContent" -> {
                        for (Object pair : (Object[]) args[0]) {
                            javafx.util.Pair<?, ?> p = (javafx.util.Pair<?, ?>) pair;
                            data.put((javafx.scene.input.DataFormat) p.getKey(), p.getValue());
                        }
                        yield true;
                    }
                    case "getContent" -> data.get(args[0]);
                    case "hasContent" -> data.containsKey(args[0]);
                    case "getTransferModes" -> java.util.EnumSet.of(TransferMode.COPY);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "test drop clipboard";
                    default -> method.getReturnType() == boolean.class ? false
                            : method.getReturnType() == double.class ? 0.0 : null;
                });
        Constructor<Dragboard> c = Dragboard.class.getDeclaredConstructor(tkClipboard);
        c.setAccessible(true);
        return c.newInstance(peer);
    }
}
