package org.pastiche.ui.compare;

import javafx.scene.Cursor;
import javafx.scene.control.Label;
import javafx.scene.control.SkinBase;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Rectangle;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;

/**
 * Lays the after image under the before image, clips the before image at the divider, and handles
 * dragging the divider (anywhere on a fitted picture, near the divider when zoomed) and panning.
 */
public class BeforeAfterViewSkin extends SkinBase<BeforeAfterView> {
    private static final double GRAB = 14;

    private final Pane canvas = new Pane();
    private final ImageView after = new ImageView();
    private final ImageView before = new ImageView();
    private final Rectangle beforeClip = new Rectangle();
    private final Rectangle canvasClip = new Rectangle();
    private final Region divider = new Region();
    private final StackPane handle = new StackPane(new FontIcon(MaterialDesignA.ARROW_LEFT_RIGHT));
    private final Label beforeChip = new Label();
    private final Label afterChip = new Label();

    private double panX;
    private double panY;
    private double imageX;
    private double imageWidth;
    private double dividerX;
    private boolean pannable;
    private boolean draggingDivider;
    private boolean panning;
    private double lastX;
    private double lastY;

    public BeforeAfterViewSkin(BeforeAfterView control) {
        super(control);
        canvas.getStyleClass().add("compare-canvas");
        canvas.setClip(canvasClip);
        after.setSmooth(true);
        before.setSmooth(true);
        before.setClip(beforeClip);
        after.getStyleClass().add("after-image");
        before.getStyleClass().add("before-image");
        divider.getStyleClass().add("divider");
        handle.getStyleClass().add("divider-handle");
        beforeChip.getStyleClass().addAll("image-label", "before-label");
        afterChip.getStyleClass().addAll("image-label", "after-label");
        beforeChip.textProperty().bind(control.beforeLabelProperty());
        afterChip.textProperty().bind(control.afterLabelProperty());
        for (Region r : new Region[] {divider, handle, beforeChip, afterChip}) {
            r.setManaged(false);
            r.setMouseTransparent(true);
        }
        canvas.getChildren().addAll(after, before, divider, handle, beforeChip, afterChip);
        getChildren().add(canvas);

        after.imageProperty().bind(control.afterImageProperty());
        before.imageProperty().bind(control.beforeImageProperty());
        registerChangeListener(control.beforeImageProperty(), o -> control.requestLayout());
        registerChangeListener(control.afterImageProperty(), o -> control.requestLayout());
        registerChangeListener(control.dividerPositionProperty(), o -> control.requestLayout());
        registerChangeListener(control.showOriginalProperty(), o -> control.requestLayout());
        registerChangeListener(control.zoomProperty(), o -> {
            panX = 0;
            panY = 0;
            control.requestLayout();
        });

        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
            draggingDivider = false;
            panning = false;
            updateCursor(e.getX());
        });
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, e -> updateCursor(e.getX()));
        canvas.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                control.setZoom(control.getZoom() == BeforeAfterView.Zoom.FIT
                        ? BeforeAfterView.Zoom.ACTUAL : BeforeAfterView.Zoom.FIT);
            }
        });
    }

    private Image reference() {
        Image b = getSkinnable().getBeforeImage();
        return b != null ? b : getSkinnable().getAfterImage();
    }

    private boolean splitShown() {
        return getSkinnable().getAfterImage() != null && getSkinnable().getBeforeImage() != null
                && !getSkinnable().isShowOriginal();
    }

    private void pressed(MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY || reference() == null) {
            return;
        }
        lastX = e.getX();
        lastY = e.getY();
        if (splitShown() && (!pannable || Math.abs(e.getX() - dividerX) <= GRAB)) {
            draggingDivider = true;
            moveDivider(e.getX());
        } else if (pannable) {
            panning = true;
            canvas.setCursor(Cursor.CLOSED_HAND);
        }
    }

    private void dragged(MouseEvent e) {
        if (draggingDivider) {
            moveDivider(e.getX());
        } else if (panning) {
            panX += e.getX() - lastX;
            panY += e.getY() - lastY;
            lastX = e.getX();
            lastY = e.getY();
            getSkinnable().requestLayout();
        }
    }

    private void moveDivider(double x) {
        if (imageWidth > 0) {
            getSkinnable().setDividerPosition((x - imageX) / imageWidth);
        }
    }

    private void updateCursor(double x) {
        if (splitShown() && (!pannable || Math.abs(x - dividerX) <= GRAB)) {
            canvas.setCursor(Cursor.H_RESIZE);
        } else {
            canvas.setCursor(pannable ? Cursor.OPEN_HAND : Cursor.DEFAULT);
        }
    }

    @Override
    protected void layoutChildren(double x, double y, double w, double h) {
        canvas.resizeRelocate(x, y, w, h);
        canvasClip.setWidth(w);
        canvasClip.setHeight(h);
        Image ref = reference();
        boolean visible = ref != null && w > 0 && h > 0;
        for (var node : new javafx.scene.Node[] {after, before, divider, handle, beforeChip, afterChip}) {
            node.setVisible(visible);
        }
        if (!visible) {
            return;
        }
        double iw = ref.getWidth();
        double ih = ref.getHeight();
        double scale = getSkinnable().getZoom() == BeforeAfterView.Zoom.FIT ? Math.min(w / iw, h / ih) : 1.0;
        double dw = iw * scale;
        double dh = ih * scale;
        double maxPanX = Math.max(0, (dw - w) / 2);
        double maxPanY = Math.max(0, (dh - h) / 2);
        panX = Math.max(-maxPanX, Math.min(maxPanX, panX));
        panY = Math.max(-maxPanY, Math.min(maxPanY, panY));
        pannable = maxPanX > 0 || maxPanY > 0;
        double ix = Math.round((w - dw) / 2 + panX);
        double iy = Math.round((h - dh) / 2 + panY);
        imageX = ix;
        imageWidth = dw;
        for (ImageView view : new ImageView[] {after, before}) {
            view.setPreserveRatio(false);
            view.setFitWidth(dw);
            view.setFitHeight(dh);
            view.relocate(ix, iy);
        }

        boolean split = splitShown();
        double visibleLeft = Math.max(0, ix);
        double visibleRight = Math.min(w, ix + dw);
        double visibleTop = Math.max(0, iy);
        double visibleBottom = Math.min(h, iy + dh);
        dividerX = Math.max(visibleLeft, Math.min(visibleRight, ix + dw * getSkinnable().getDividerPosition()));
        beforeClip.setWidth(split ? Math.max(0, dividerX - ix) : dw);
        beforeClip.setHeight(dh);
        after.setVisible(getSkinnable().getAfterImage() != null);

        divider.setVisible(split);
        handle.setVisible(split);
        afterChip.setVisible(split || (getSkinnable().getAfterImage() != null && getSkinnable().getBeforeImage() == null));
        beforeChip.setVisible(getSkinnable().getBeforeImage() != null && (split || getSkinnable().isShowOriginal()));
        divider.resizeRelocate(Math.round(dividerX - 1), visibleTop, 2, visibleBottom - visibleTop);
        double hs = handle.prefWidth(-1);
        handle.resizeRelocate(Math.round(dividerX - hs / 2), Math.round((visibleTop + visibleBottom - hs) / 2), hs, hs);

        double pad = 12;
        beforeChip.autosize();
        afterChip.autosize();
        beforeChip.relocate(visibleLeft + pad, visibleTop + pad);
        afterChip.relocate(visibleRight - pad - afterChip.getWidth(), visibleTop + pad);
    }
}
