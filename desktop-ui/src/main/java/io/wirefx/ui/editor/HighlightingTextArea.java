package io.wirefx.ui.editor;

import java.util.ArrayList;
import java.util.List;
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
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;
import javafx.scene.text.TextFlow;

/**
 * A plain {@link TextArea} (so editing, selection, undo, input methods and accessibility are the platform's) with a
 * mouse-transparent overlay that repaints the same text in colors from {@link ConfigHighlighter}, a line-number
 * gutter, and a marked error line. After each layout pulse the overlay is moved to where the text area's own text
 * is, so it follows scrolling.
 */
public final class HighlightingTextArea extends BorderPane {
    private final TextArea area = new TextArea();
    private final TextFlow flow = new TextFlow();
    private final Rectangle errorBand = new Rectangle();
    private final Pane overlay = new Pane(errorBand, flow);
    private final Rectangle overlayClip = new Rectangle();
    private final TextFlow gutterFlow = new TextFlow();
    private final Pane gutter = new Pane(gutterFlow);
    private final Rectangle gutterClip = new Rectangle();
    private final IntegerProperty errorLine = new SimpleIntegerProperty(this, "errorLine", 0);
    private final Runnable pulseListener = this::sync;
    private Font builtFont;
    private int lineCount = -1;

    public HighlightingTextArea() {
        getStyleClass().add("code-editor");
        area.getStyleClass().add("code-text");
        area.setWrapText(false);
        overlay.setMouseTransparent(true);
        overlay.setFocusTraversable(false);
        overlay.getStyleClass().add("code-overlay");
        overlay.setClip(overlayClip);
        errorBand.getStyleClass().add("code-error-band");
        errorBand.setVisible(false);
        gutter.getStyleClass().add("code-gutter");
        gutter.setClip(gutterClip);
        gutter.setMouseTransparent(true);
        gutterFlow.setTextAlignment(TextAlignment.RIGHT);
        gutter.setMinWidth(40);
        gutter.setPrefWidth(40);
        setLeft(gutter);
        setCenter(new StackPane(area, overlay));
        area.textProperty().addListener((obs, o, n) -> rebuild());
        area.fontProperty().addListener((obs, o, n) -> rebuild());
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

    /** The overlay's text nodes (tests check their style classes). */
    public List<Text> highlightedRuns() {
        List<Text> runs = new ArrayList<>();
        flow.getChildren().forEach(n -> runs.add((Text) n));
        return runs;
    }

    /** The gutter's line-number nodes, one per line. */
    public List<Text> lineNumbers() {
        List<Text> numbers = new ArrayList<>();
        gutterFlow.getChildren().forEach(n -> numbers.add((Text) n));
        return numbers;
    }

    private void rebuild() {
        String text = area.getText() == null ? "" : area.getText();
        Font font = area.getFont();
        int error = errorLine.get();
        int[] errorRange = ConfigHighlighter.lineRange(text, error);
        List<Node> runs = new ArrayList<>();
        for (ConfigHighlighter.Span span : ConfigHighlighter.highlight(text)) {
            int start = span.start();
            int end = span.end();
            // Split a span at the error line's borders, so just that line is underlined.
            int[] cuts = errorRange == null ? new int[] {start, end} : cut(start, end, errorRange);
            for (int i = 0; i + 1 < cuts.length; i++) {
                if (cuts[i + 1] <= cuts[i]) {
                    continue;
                }
                Text t = new Text(text.substring(cuts[i], cuts[i + 1]));
                t.setFont(font);
                t.getStyleClass().add(span.kind().styleClass());
                if (errorRange != null && cuts[i] >= errorRange[0] && cuts[i + 1] <= errorRange[1]
                        && span.kind() != ConfigHighlighter.Kind.PLAIN) {
                    t.getStyleClass().add("cfg-error-line");
                }
                runs.add(t);
            }
        }
        flow.getChildren().setAll(runs);
        builtFont = font;
        int lines = ConfigHighlighter.lineCount(text);
        List<Node> numbers = new ArrayList<>(lines);
        for (int i = 1; i <= lines; i++) {
            Text n = new Text(i + (i < lines ? "\n" : ""));
            n.setFont(font);
            n.getStyleClass().add(i == error ? "gutter-error" : "gutter-number");
            numbers.add(n);
        }
        gutterFlow.getChildren().setAll(numbers);
        lineCount = lines;
        double digits = Math.max(2, Integer.toString(lines).length());
        gutter.setPrefWidth(digits * font.getSize() * 0.65 + 16);
        gutter.setMinWidth(gutter.getPrefWidth());
        requestLayout();
    }

    private static int[] cut(int start, int end, int[] range) {
        int a = Math.min(Math.max(range[0], start), end);
        int b = Math.min(Math.max(range[1], start), end);
        return new int[] {start, a, b, end};
    }

    /** Moves the overlay and the gutter to the text area's text and clips them to its viewport. */
    private void sync() {
        Scene scene = getScene();
        if (scene == null || area.getSkin() == null) {
            return;
        }
        Text para = firstParagraph();
        Node viewport = area.lookup(".viewport");
        if (para == null || viewport == null) {
            return;
        }
        if (builtFont != area.getFont()) {
            rebuild();
        }
        for (Node n : flow.getChildren()) {
            ((Text) n).setFontSmoothingType(para.getFontSmoothingType());
        }
        Bounds textBounds = para.localToScene(para.getLayoutBounds());
        Point2D origin = overlay.sceneToLocal(textBounds.getMinX(), textBounds.getMinY());
        if (origin == null) {
            return;
        }
        if (flow.getLayoutX() != origin.getX() || flow.getLayoutY() != origin.getY()) {
            flow.relocate(origin.getX(), origin.getY());
        }
        Bounds vp = overlay.sceneToLocal(viewport.localToScene(viewport.getLayoutBounds()));
        overlayClip.setX(vp.getMinX());
        overlayClip.setY(vp.getMinY());
        overlayClip.setWidth(vp.getWidth());
        overlayClip.setHeight(vp.getHeight());

        Point2D gutterOrigin = gutter.sceneToLocal(textBounds.getMinX(), textBounds.getMinY());
        Bounds gvp = gutter.sceneToLocal(viewport.localToScene(viewport.getLayoutBounds()));
        double gutterWidth = gutter.getWidth() - 8;
        gutterFlow.setPrefWidth(gutterWidth);
        gutterFlow.resize(gutterWidth, gutterFlow.prefHeight(gutterWidth));
        gutterFlow.relocate(0, gutterOrigin.getY());
        gutterClip.setX(0);
        gutterClip.setY(gvp.getMinY());
        gutterClip.setWidth(gutter.getWidth());
        gutterClip.setHeight(gvp.getHeight());

        int error = errorLine.get();
        if (error > 0 && lineCount > 0 && error <= lineCount) {
            double lineHeight = flow.getHeight() / lineCount;
            errorBand.setX(vp.getMinX());
            errorBand.setWidth(vp.getWidth());
            errorBand.setY(origin.getY() + (error - 1) * lineHeight);
            errorBand.setHeight(lineHeight);
            errorBand.setVisible(true);
        } else {
            errorBand.setVisible(false);
        }
    }

    private Text firstParagraph() {
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
