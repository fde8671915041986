package io.wirefx.ui.editor;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;

/**
 * A plain {@link TextArea} (so editing, selection, undo, input methods and accessibility are the platform's) with a
 * mouse-transparent overlay that repaints its text in colors from {@link ConfigHighlighter}, a line-number gutter
 * and a marked error line.
 *
 * <p>The overlay is one {@link Text} per span kind, each holding the whole text with the characters of other kinds
 * blanked out. With the text area's (monospaced) font, bounds type and origin, every layer lays out exactly like
 * the text area's own text node, whatever JavaFX's line-height rounding; after each layout pulse the layers are
 * moved to where that node is, so they follow scrolling.
 */
public final class HighlightingTextArea extends BorderPane {
    private static final char IDEOGRAPHIC_SPACE = '\u3000';

    private final TextArea area = new TextArea();
    private final Map<ConfigHighlighter.Kind, Text> layers = new EnumMap<>(ConfigHighlighter.Kind.class);
    private final Text errorLayer = new Text();
    private final Rectangle errorBand = new Rectangle();
    private final Pane overlay = new Pane(errorBand);
    private final Rectangle overlayClip = new Rectangle();
    private final Text numbers = new Text();
    private final Text errorNumber = new Text();
    private final Pane gutter = new Pane(numbers, errorNumber);
    private final Rectangle gutterClip = new Rectangle();
    private final IntegerProperty errorLine = new SimpleIntegerProperty(this, "errorLine", 0);
    private final Runnable pulseListener = this::sync;
    private List<ConfigHighlighter.Span> spans = List.of();
    private int lineCount = 1;

    public HighlightingTextArea() {
        getStyleClass().add("code-editor");
        area.getStyleClass().add("code-text");
        area.setWrapText(false);
        for (ConfigHighlighter.Kind kind : ConfigHighlighter.Kind.values()) {
            Text t = new Text();
            t.getStyleClass().add(kind.styleClass());
            layers.put(kind, t);
            overlay.getChildren().add(t);
        }
        errorLayer.getStyleClass().add("cfg-error-line");
        overlay.getChildren().add(errorLayer);
        overlay.setMouseTransparent(true);
        overlay.setFocusTraversable(false);
        overlay.getStyleClass().add("code-overlay");
        overlay.setClip(overlayClip);
        overlay.setManaged(true);
        errorBand.getStyleClass().add("code-error-band");
        errorBand.setVisible(false);
        numbers.getStyleClass().add("gutter-number");
        errorNumber.getStyleClass().add("gutter-error");
        gutter.getStyleClass().add("code-gutter");
        gutter.setClip(gutterClip);
        gutter.setMouseTransparent(true);
        setLeft(gutter);
        setCenter(new StackPane(area, overlay));
        area.textProperty().addListener((obs, o, n) -> rebuild());
        errorLine.addListener((obs, o, n) -> rebuild());
        sceneProperty().addListener((obs, o, n) -> {
            if (o != null) {
                o.removePostLayoutPulseListener(pulseListener);
            }
            if (n != null) {
                n.addPostLayoutPulseListener(pulseListener);
            }
        });
        rebuild();
    }

    /** The editable text area (bind its text, give it focus). */
    public TextArea textArea() {
        return area;
    }

    /** 1-based line to mark as wrong, 0 for none. */
    public IntegerProperty errorLineProperty() {
        return errorLine;
    }

    /** The highlighted spans now shown. */
    public List<ConfigHighlighter.Span> spans() {
        return spans;
    }

    /** The text the overlay paints in the style of {@code kind} (other characters blanked). */
    public String layerText(ConfigHighlighter.Kind kind) {
        return layers.get(kind).getText();
    }

    /** The line number the gutter marks as wrong, or 0. */
    public int markedLine() {
        return errorNumber.getText().isBlank() ? 0 : errorLine.get();
    }

    private void rebuild() {
        String text = area.getText() == null ? "" : area.getText();
        spans = ConfigHighlighter.highlight(text);
        Map<ConfigHighlighter.Kind, char[]> masks = new EnumMap<>(ConfigHighlighter.Kind.class);
        char[] blank = blank(text);
        for (ConfigHighlighter.Kind kind : ConfigHighlighter.Kind.values()) {
            masks.put(kind, blank.clone());
        }
        for (ConfigHighlighter.Span span : spans) {
            text.getChars(span.start(), span.end(), masks.get(span.kind()), span.start());
        }
        masks.forEach((kind, chars) -> layers.get(kind).setText(new String(chars)));

        lineCount = ConfigHighlighter.lineCount(text);
        int error = errorLine.get();
        int[] range = ConfigHighlighter.lineRange(text, error);
        if (range != null) {
            char[] underline = blank.clone();
            text.getChars(range[0], range[1], underline, range[0]);
            errorLayer.setText(new String(underline));
        } else {
            errorLayer.setText("");
        }
        StringBuilder all = new StringBuilder();
        StringBuilder marked = new StringBuilder();
        for (int i = 1; i <= lineCount; i++) {
            String n = Integer.toString(i);
            all.append(i == error ? " ".repeat(n.length()) : n);
            marked.append(i == error ? n : "");
            if (i < lineCount) {
                all.append('\n');
                marked.append('\n');
            }
        }
        numbers.setText(all.toString());
        errorNumber.setText(range != null ? marked.toString() : "");
        double digits = Math.max(2, Integer.toString(lineCount).length());
        double width = digits * area.getFont().getSize() * 0.62 + 18;
        gutter.setMinWidth(width);
        gutter.setPrefWidth(width);
        requestLayout();
    }

    /** The text with every character but line breaks and tabs blanked (wide characters by a wide space). */
    private static char[] blank(String text) {
        char[] out = new char[text.length()];
        for (int i = 0; i < out.length; i++) {
            char c = text.charAt(i);
            out[i] = c == '\n' || c == '\r' || c == '\t' ? c : c >= '\u2e80' && !Character.isSurrogate(c)
                    ? IDEOGRAPHIC_SPACE : ' ';
        }
        return out;
    }

    /** Aligns the layers and the gutter with the text area's own text node and clips them to its viewport. */
    private void sync() {
        Scene scene = getScene();
        if (scene == null || area.getSkin() == null) {
            return;
        }
        Text own = ownText();
        Node viewport = area.lookup(".viewport");
        if (own == null || viewport == null) {
            return;
        }
        Point2D origin = overlay.sceneToLocal(own.localToScene(0, 0));
        Point2D gutterOrigin = gutter.sceneToLocal(own.localToScene(0, 0));
        if (origin == null || gutterOrigin == null) {
            return;
        }
        List<Text> all = new ArrayList<>(layers.values());
        all.add(errorLayer);
        all.add(numbers);
        all.add(errorNumber);
        for (Text t : all) {
            copyLayout(own, t);
        }
        for (Text t : all.subList(0, all.size() - 2)) {
            t.relocate(0, 0);
            t.setLayoutX(origin.getX());
            t.setLayoutY(origin.getY());
        }
        double gutterRight = gutter.getWidth() - 8;
        for (Text t : List.of(numbers, errorNumber)) {
            t.setTextAlignment(javafx.scene.text.TextAlignment.RIGHT);
            t.setWrappingWidth(gutterRight);
            t.setLayoutX(0);
            t.setLayoutY(gutterOrigin.getY());
        }
        Bounds vp = overlay.sceneToLocal(viewport.localToScene(viewport.getLayoutBounds()));
        overlayClip.setX(vp.getMinX());
        overlayClip.setY(vp.getMinY());
        overlayClip.setWidth(vp.getWidth());
        overlayClip.setHeight(vp.getHeight());
        Bounds gvp = gutter.sceneToLocal(viewport.localToScene(viewport.getLayoutBounds()));
        gutterClip.setY(gvp.getMinY());
        gutterClip.setWidth(gutter.getWidth());
        gutterClip.setHeight(gvp.getHeight());

        int error = errorLine.get();
        if (error > 0 && error <= lineCount && !errorLayer.getText().isEmpty()) {
            double lineHeight = own.getLayoutBounds().getHeight() / lineCount;
            double top = overlay.sceneToLocal(own.localToScene(0, own.getLayoutBounds().getMinY())).getY();
            errorBand.setX(vp.getMinX());
            errorBand.setWidth(vp.getWidth());
            errorBand.setY(top + (error - 1) * lineHeight);
            errorBand.setHeight(lineHeight);
            errorBand.setVisible(true);
        } else {
            errorBand.setVisible(false);
        }
    }

    private static void copyLayout(Text from, Text to) {
        if (!from.getFont().equals(to.getFont())) {
            to.setFont(from.getFont());
        }
        to.setFontSmoothingType(from.getFontSmoothingType());
        to.setBoundsType(from.getBoundsType());
        to.setTextOrigin(from.getTextOrigin());
        to.setLineSpacing(from.getLineSpacing());
    }

    /** The text area's own text node (one node for all paragraphs in current JavaFX). */
    private Text ownText() {
        Node content = area.lookup(".content");
        if (content == null) {
            return null;
        }
        for (Node n : content.lookupAll(".text")) {
            if (n instanceof Text t && t.getParent() != null && t.getParent() != content && t.isVisible()) {
                return t;
            }
        }
        return null;
    }
}
