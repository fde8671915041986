package io.wirefx.ui.dbus;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * {@code com.canonical.dbusmenu}: the tray menu as a tree of items with properties (label, type, toggle-type,
 * toggle-state, enabled, visible) that the tray host renders; clicks come back as {@link #Event}.
 */
@DBusInterfaceName("com.canonical.dbusmenu")
public interface DBusMenu extends DBusInterface {
    /** D-Bus signature of one layout node: id, properties, children (each a variant holding a node). */
    String NODE_SIGNATURE = "(ia{sv}av)";

    LayoutReply<UInt32, Node> GetLayout(int parentId, int recursionDepth, List<String> propertyNames);

    List<ItemProperties> GetGroupProperties(List<Integer> ids, List<String> propertyNames);

    Variant<?> GetProperty(int id, String name);

    /** {@code eventId} is "clicked", "hovered", "opened" or "closed". */
    void Event(int id, String eventId, Variant<?> data, UInt32 timestamp);

    boolean AboutToShow(int id);

    /**
     * Several events at once, as libdbusmenu hosts (GNOME's AppIndicator extension, Xfce's and KDE's trays) send
     * clicks; answers the ids that are not in the menu.
     */
    List<Integer> EventGroup(List<MenuEvent> events);

    /** {@link #AboutToShow} for several items: the ids whose layout changed, and the ids not in the menu. */
    GroupUpdates<List<Integer>, List<Integer>> AboutToShowGroup(List<Integer> ids);

    /** One event of {@link #EventGroup}. */
    final class MenuEvent extends Struct {
        @Position(0)
        public final int id;
        @Position(1)
        public final String eventId;
        @Position(2)
        public final Variant<?> data;
        @Position(3)
        public final UInt32 timestamp;

        public MenuEvent(int id, String eventId, Variant<?> data, UInt32 timestamp) {
            this.id = id;
            this.eventId = eventId;
            this.data = data;
            this.timestamp = timestamp;
        }
    }

    /** AboutToShowGroup's answer (type parameters for dbus-java, as {@link LayoutReply}). */
    final class GroupUpdates<U, E> extends Tuple {
        @Position(0)
        public final U updatesNeeded;
        @Position(1)
        public final E idErrors;

        public GroupUpdates(U updatesNeeded, E idErrors) {
            this.updatesNeeded = updatesNeeded;
            this.idErrors = idErrors;
        }
    }

    /** One node of the menu tree. */
    final class Node extends Struct {
        @Position(0)
        public final int id;
        @Position(1)
        public final Map<String, Variant<?>> properties;
        @Position(2)
        public final List<Variant<?>> children;

        public Node(int id, Map<String, Variant<?>> properties, List<Variant<?>> children) {
            this.id = id;
            this.properties = properties;
            this.children = children;
        }
    }

    /**
     * GetLayout's answer: the layout's revision and the requested subtree (type parameters because dbus-java reads
     * a tuple's D-Bus types from the method's generic return type).
     */
    final class LayoutReply<R, L> extends Tuple {
        @Position(0)
        public final R revision;
        @Position(1)
        public final L layout;

        public LayoutReply(R revision, L layout) {
            this.revision = revision;
            this.layout = layout;
        }
    }

    /** An item's id and properties (GetGroupProperties). */
    final class ItemProperties extends Struct {
        @Position(0)
        public final int id;
        @Position(1)
        public final Map<String, Variant<?>> properties;

        public ItemProperties(int id, Map<String, Variant<?>> properties) {
            this.id = id;
            this.properties = properties;
        }
    }

    /** The menu changed below {@code parent} (0: all of it): hosts ask for the layout again. */
    class LayoutUpdated extends DBusSignal {
        public final UInt32 revision;
        public final int parent;

        public LayoutUpdated(String path, UInt32 revision, int parent) throws DBusException {
            super(path, revision, parent);
            this.revision = revision;
            this.parent = parent;
        }
    }
}
