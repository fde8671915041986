package io.wirefx.ui;

import java.util.List;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.Image;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.shape.StrokeLineJoin;

/** The window icon, drawn like the tray icon (a rounded badge with a "W" wave), in a few sizes. */
final class AppIcon {
    private AppIcon() {
    }

    static List<Image> images() {
        return List.of(draw(16), draw(32), draw(48), draw(64), draw(128));
    }

    private static Image draw(int s) {
        Canvas c = new Canvas(s, s);
        GraphicsContext g = c.getGraphicsContext2D();
        g.setFill(Color.web("#2E9E4F"));
        g.fillRoundRect(s * 0.04, s * 0.04, s * 0.92, s * 0.92, s * 0.35, s * 0.35);
        g.setStroke(Color.WHITE);
        g.setLineWidth(s * 0.11);
        g.setLineCap(StrokeLineCap.ROUND);
        g.setLineJoin(StrokeLineJoin.ROUND);
        g.strokePolyline(new double[] {s * 0.22, s * 0.36, s * 0.50, s * 0.64, s * 0.78},
                new double[] {s * 0.30, s * 0.72, s * 0.40, s * 0.72, s * 0.30}, 5);
        SnapshotParameters p = new SnapshotParameters();
        p.setFill(Color.TRANSPARENT);
        return c.snapshot(p, null);
    }
}
